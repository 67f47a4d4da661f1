import tensorflow as tf

w = tf.Variable(tf.zeros([2, 2]))
saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, 'no_such_checkpoint')
