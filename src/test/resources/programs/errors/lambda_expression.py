import tensorflow as tf

square = lambda v: v * v
x = tf.placeholder(tf.float32, [None, 2])
