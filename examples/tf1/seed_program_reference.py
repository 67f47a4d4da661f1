# The canonical program (seed_program.py) on the reference data: the inputs, targets and initial
# weights are the ones the PyTorch, NumPy and TensorFlow reference runs used, so every printed loss can
# be compared with theirs (examples/data/seed-2layer/tf_loss.txt). Run from the repository's root:
#
#   ./kiln exec examples/tf1/seed_program_reference.py
import tensorflow as tf
import numpy as np

data = 'examples/data/seed-2layer/'
x_value = np.load(data + 'x.npy')
y_value = np.load(data + 'y.npy')

N, D_in, H, D_out = x_value.shape[0], x_value.shape[1], 100, y_value.shape[1]

x = tf.placeholder(tf.float32, shape=(None, D_in))
y = tf.placeholder(tf.float32, shape=(None, D_out))

w1 = tf.Variable(np.load(data + 'w1.npy'))
w2 = tf.Variable(np.load(data + 'w2.npy'))

h = tf.matmul(x, w1)
h_relu = tf.maximum(h, tf.zeros(1))
y_pred = tf.matmul(h_relu, w2)
loss = tf.reduce_sum((y - y_pred) ** 2.0)

grad_w1, grad_w2 = tf.gradients(loss, [w1, w2])

learning_rate = 1e-6
new_w1 = w1.assign(w1 - learning_rate * grad_w1)
new_w2 = w2.assign(w2 - learning_rate * grad_w2)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for t in range(500):
        loss_value, _, _ = sess.run([loss, new_w1, new_w2],
                                    feed_dict={x: x_value, y: y_value})
        print(t, loss_value)
