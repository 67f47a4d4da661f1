import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
total = tf.reduce_sum(x)
with tf.Session() as sess:
    sess.run(total, feed_dict=[x, np.ones((4, 2))])
