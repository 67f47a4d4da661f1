import tensorflow as tf

w = tf.Variable(tf.zeros([2, 2]))
total = tf.reduce_sum(w)
with tf.Session() as sess:
    print(sess.run(total))
