import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
total = tf.reduce_sum(x)
with tf.Session() as sess:
    print(sess.run(total, feed_dict={x: [[1.0, 2.0], [3.0]]}))
