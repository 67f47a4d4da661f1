import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
y = tf.placeholder(tf.float32, [None, 2])
with tf.Session() as sess:
    print(sess.run(x + y, feed_dict={x: np.ones((4, 2))}))
