import tensorflow as tf

w = tf.Variable(tf.zeros([2, 2]))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer)
