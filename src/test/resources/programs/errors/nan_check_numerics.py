# args: --check-numerics
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 1])
y = tf.sqrt(x)
with tf.Session() as sess:
    for t in range(5):
        sess.run(y, feed_dict={x: np.full((2, 1), 1.0 - t)})
