import tensorflow as tf

w = tf.Variable(tf.zeros((100000, 100000, 100000)))
