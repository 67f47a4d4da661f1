import tensorflow as tf

row = tf.constant([1.0, 2.0, 3.0])
for v in row:
    print(v)
