# Logistic regression on a synthetic two-class problem, printing the way TF1 scripts print: f-strings
# with format specs, %-formatting, str.format, and NumPy arrays and scalars as NumPy shows them.
# Run from the repository's root:
#
#   ./kiln exec examples/tf1/formatting.py
import numpy as np
import tensorflow as tf

rng_seed = 7
np.random.seed(rng_seed)
n = 200
features = np.random.randn(n, 2)
labels = (features[:, 0] + 0.5 * features[:, 1] > 0).astype(np.float32).reshape(n, 1)
print(f"data: {features.shape[0]} rows, {int(labels.sum())} positive ({labels.mean():.1%})")
print("first rows:")
print(features[:3])

x = tf.placeholder(tf.float32, [None, 2])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(tf.zeros([2, 1]))
b = tf.Variable(0.0)
logits = tf.matmul(x, w) + b
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
predicted = tf.cast(logits > 0, tf.float32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, y), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(1, 101):
        _, l, acc = sess.run([train, loss, accuracy], feed_dict={x: features, y: labels})
        if step in (1, 10) or step % 25 == 0:
            print(f"step {step:>3}: loss={l:.5f} accuracy={acc:6.2%}")
    weights, bias = sess.run([w, b])
    print("weights:", weights.ravel(), "bias: %.4f" % bias)
    print("as a list: {}".format([round(float(v), 3) for v in weights.ravel()]))
    print("loss (repr):", repr(l))
