import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
total = tf.reduce_sum(x)
data = np.ones((10, 2))
with tf.Session() as sess:
    print(sess.run(total, feed_dict={x: data[10:]}))
