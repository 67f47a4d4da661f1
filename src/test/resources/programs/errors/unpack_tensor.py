import tensorflow as tf

pair = tf.constant([1.0, 2.0])
first, second = pair
