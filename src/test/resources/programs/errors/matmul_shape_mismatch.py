import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 3])
w = tf.Variable(tf.zeros([4, 2]))
y = tf.matmul(x, w)
