# Trains a small network with Adam, saves its variables (and Adam's slots) with tf.train.Saver, then
# restores them in a new session and checks that the restored network computes the same loss.
# The checkpoint is an .npz archive: numpy.load opens it. Run from the repository's root:
#
#   ./kiln exec examples/tf1/save_restore.py
import numpy as np
import tensorflow as tf

np.random.seed(42)
x_data = np.random.randn(256, 8).astype(np.float32)
true_w = np.random.randn(8, 1).astype(np.float32)
y_data = np.tanh(x_data.dot(true_w)) + 0.05 * np.random.randn(256, 1)

x = tf.placeholder(tf.float32, shape=(None, 8))
y = tf.placeholder(tf.float32, shape=(None, 1))
w1 = tf.Variable(tf.random_normal((8, 16), stddev=0.5, seed=1))
b1 = tf.Variable(tf.zeros([16]))
w2 = tf.Variable(tf.random_normal((16, 1), stddev=0.5, seed=2))
prediction = tf.matmul(tf.nn.tanh(tf.matmul(x, w1) + b1), w2)
loss = tf.reduce_mean(tf.square(prediction - y))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

saver = tf.train.Saver()
path = 'target/save_restore_example.npz'

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(300):
        _, l = sess.run([train_op, loss], feed_dict={x: x_data, y: y_data})
        if step % 100 == 0:
            print('step %3d  loss %.6f' % (step, l))
    trained = sess.run(loss, feed_dict={x: x_data, y: y_data})
    print('trained loss', trained)
    print('saved to', saver.save(sess, path))

with tf.Session() as sess:
    saver.restore(sess, path)
    restored = sess.run(loss, feed_dict={x: x_data, y: y_data})
    print('restored loss', restored)
    print('same:', restored == trained)

archive = np.load(path)
print(sorted(archive.files))
