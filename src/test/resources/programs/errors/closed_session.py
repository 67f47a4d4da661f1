import tensorflow as tf

total = tf.reduce_sum(tf.constant([1.0, 2.0]))
sess = tf.Session()
print(sess.run(total))
sess.close()
print(sess.run(total))
