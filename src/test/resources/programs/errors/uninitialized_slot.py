# An Adam step after initializing only the variable: its slots have no value yet
import tensorflow as tf
x = tf.placeholder(tf.float32, shape=(None, 3))
w = tf.Variable(tf.ones((3, 2)))
loss = tf.reduce_sum(tf.matmul(x, w))
opt = tf.train.AdamOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(w.initializer)
    sess.run(opt, feed_dict={x: [[1.0, 2.0, 3.0]]})
    print(sess.run(w))
