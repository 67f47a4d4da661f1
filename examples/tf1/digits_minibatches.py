# Softmax regression on the 8x8 handwritten digits, as TF1's MNIST tutorial trains it, over shuffled
# minibatches: each epoch draws a permutation of the training set with NumPy and feeds it 100 rows at a
# time (the last minibatch of an epoch holds the 37 rows left over). Run from the repository's root:
#
#   ./kiln exec examples/tf1/digits_minibatches.py
import numpy as np
import tensorflow as tf

x_train = np.load('examples/data/digits/x_train.npy')
y_train = np.load('examples/data/digits/y_train_onehot.npy')
x_test = np.load('examples/data/digits/x_test.npy')
y_test = np.load('examples/data/digits/y_test_onehot.npy')

x = tf.placeholder(tf.float32, [None, 64])
y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([64, 10]))
b = tf.Variable(tf.zeros([10]))
y = tf.matmul(x, W) + b

cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

np.random.seed(0)
batch_size = 100
n = x_train.shape[0]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(10):
        perm = np.random.permutation(n)
        x_shuffled, y_shuffled = x_train[perm], y_train[perm]
        total = 0.0
        for i in range(0, n, batch_size):
            batch_xs = x_shuffled[i:i + batch_size]
            batch_ys = y_shuffled[i:i + batch_size]
            _, loss_value = sess.run([train_step, cross_entropy], feed_dict={x: batch_xs, y_: batch_ys})
            total += loss_value * len(batch_xs)
        print('epoch', epoch, 'mean loss', total / n)
    print('test accuracy', sess.run(accuracy, feed_dict={x: x_test, y_: y_test}))
