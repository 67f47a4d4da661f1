# The canonical job as a whole TF1 program, with the reference data and initial weights: it builds the
# graph, opens a session and initializes it. The ExecStep benchmark then calls step(), one sess.run of
# the training step; benchmarks/whole-process appends the published program's training loop.
import tensorflow as tf
import numpy as np

data = 'src/test/resources/reference/seed-2layer/'
x_value = np.load(data + 'x.npy')
y_value = np.load(data + 'y.npy')

x = tf.placeholder(tf.float32, shape=(None, 1000))
y = tf.placeholder(tf.float32, shape=(None, 10))
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

sess = tf.Session()
sess.run(tf.global_variables_initializer())


def step():
    loss_value, _, _ = sess.run([loss, new_w1, new_w2], feed_dict={x: x_value, y: y_value})
    return loss_value
