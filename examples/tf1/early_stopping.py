# Fits a line with momentum SGD, stopping as soon as the loss falls below a target: the loop walks the
# schedule with enumerate, skips logging with continue, and leaves with break (the for loop's else
# runs only when it never did). Run from the repository's root:
#
#   ./kiln exec examples/tf1/early_stopping.py
import numpy as np
import tensorflow as tf

np.random.seed(3)
xs = np.linspace(-1.0, 1.0, 50).reshape(50, 1)
ys = 3.0 * xs - 0.5 + 0.1 * np.random.randn(50, 1)

x = tf.placeholder(tf.float32, shape=(None, 1))
y = tf.placeholder(tf.float32, shape=(None, 1))
slope = tf.Variable([[0.0]])
intercept = tf.Variable([0.0])
loss = tf.reduce_mean((tf.matmul(x, slope) + intercept - y) ** 2)
step = tf.train.MomentumOptimizer(learning_rate=0.05, momentum=0.9).minimize(loss)

target = 0.011
history = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i, epoch in enumerate(range(1000)):
        _, current = sess.run([step, loss], {x: xs, y: ys})
        history.append(current)
        if current < target:
            print('reached', target, 'after', i + 1, 'steps')
            break
        if i % 20 != 0:
            continue
        print('step', i, 'loss', current)
    else:
        print('never reached', target)
    a, b = sess.run([slope, intercept])
    print('slope %.3f, intercept %.3f' % (a[0, 0], b[0]))
    print('losses recorded:', len(history), 'best:', min(history))
