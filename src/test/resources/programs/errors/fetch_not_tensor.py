import tensorflow as tf

x = tf.constant([1.0, 2.0])
with tf.Session() as sess:
    sess.run([x, 'loss'])
