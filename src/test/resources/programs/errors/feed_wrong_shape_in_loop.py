import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
total = tf.reduce_sum(x)
with tf.Session() as sess:
    for t in range(50):
        batch = np.ones((4, 2)) if t != 37 else np.ones((4, 3))
        sess.run(total, feed_dict={x: batch})
