import os
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
