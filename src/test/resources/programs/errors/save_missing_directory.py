import tensorflow as tf

w = tf.Variable(tf.zeros([2, 2]))
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    saver.save(sess, 'no_such_dir/model.ckpt')
