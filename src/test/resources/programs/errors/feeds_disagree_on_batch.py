import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(tf.zeros([2, 1]))
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(loss, feed_dict={x: np.ones((8, 2)), y: np.ones((5, 1))})
