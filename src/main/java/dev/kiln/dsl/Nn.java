package dev.kiln.dsl;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ops.HashUniform;
import dev.kiln.ops.Iota;
import dev.kiln.ops.SigmoidCrossEntropy;

/**
 * TensorFlow's {@code tf.nn} functions beyond the elementwise ones {@link Tf} has itself ({@code relu},
 * {@code sigmoid}, {@code tanh}): what classifiers need. Reached as {@code tf.nn()}; the nodes go into
 * that {@code Tf}'s graph.
 */
public final class Nn {
    private final Tf tf;

    Nn(Tf tf) {
        this.tf = tf;
    }

    /**
     * {@code value + bias} for a bias of rank 1 as long as value's last dimension, as {@code tf.nn.bias_add}
     * (which, unlike {@code +}, accepts no other broadcast).
     */
    public Node biasAdd(Node value, Node bias) {
        tf.operand(value, "bias_add");
        tf.operand(bias, "bias_add");
        Shape v = value.shape();
        Shape s = bias.shape();
        int last = v.rank() == 0 ? -1 : v.dim(v.rank() - 1);
        if (v.rank() < 1 || s.rank() != 1
                || last != Shape.UNKNOWN && s.dim(0) != Shape.UNKNOWN && last != s.dim(0)) {
            throw new KilnException(tf.builder().currentPosition(), "bias_add: the bias must be a vector as long as"
                    + " the value's last dimension, got value " + v + " and bias " + s);
        }
        return tf.ops().add(value, bias);
    }

    /** {@code sum(t * t) / 2}, as {@code tf.nn.l2_loss}. */
    public Node l2Loss(Node t) {
        Node x = tf.operand(t, "l2_loss");
        return tf.ops().mul(0.5f, tf.ops().reduceSum(tf.ops().mul(x, x), null, false));
    }

    /**
     * The logistic loss of each logit against its label (both broadcast), computed without overflow, as
     * {@code tf.nn.sigmoid_cross_entropy_with_logits}.
     */
    public Node sigmoidCrossEntropyWithLogits(Node labels, Node logits) {
        return tf.ops().binary(new SigmoidCrossEntropy(), tf.operand(labels, "sigmoid_cross_entropy"),
                tf.operand(logits, "sigmoid_cross_entropy"));
    }

    /** The softmax along the last axis, computed stably, as {@code tf.nn.softmax}. */
    public Node softmax(Node logits) {
        return tf.ops().softmax(tf.operand(logits, "softmax"));
    }

    /** The log of the softmax along the last axis, computed stably, as {@code tf.nn.log_softmax}. */
    public Node logSoftmax(Node logits) {
        return tf.ops().logSoftmax(tf.operand(logits, "log_softmax"));
    }

    /**
     * The cross-entropy of {@code labels} (a distribution per row) and the softmax of {@code logits} along the
     * last axis, one value per row, as {@code tf.nn.softmax_cross_entropy_with_logits_v2}: the gradient flows to
     * the labels too.
     */
    public Node softmaxCrossEntropyWithLogits(Node labels, Node logits) {
        return tf.ops().softmaxCrossEntropy(tf.operand(labels, "softmax_cross_entropy"),
                tf.operand(logits, "softmax_cross_entropy"), true);
    }

    /** As {@link #softmaxCrossEntropyWithLogits}, TensorFlow's first version: no gradient to the labels. */
    public Node softmaxCrossEntropyWithLogitsV1(Node labels, Node logits) {
        return tf.ops().softmaxCrossEntropy(tf.operand(labels, "softmax_cross_entropy"),
                tf.operand(logits, "softmax_cross_entropy"), false);
    }

    /**
     * {@code tf.nn.sparse_softmax_cross_entropy_with_logits(labels=, logits=)}: integer labels, one per row of
     * the logits; see {@link dev.kiln.ops.SparseSoftmaxCrossEntropy}.
     */
    public Node sparseSoftmaxCrossEntropyWithLogits(Node labels, Node logits) {
        return tf.ops().sparseSoftmaxCrossEntropy(tf.operand(labels, "sparse_softmax_cross_entropy"),
                tf.operand(logits, "sparse_softmax_cross_entropy"));
    }

    /** {@code tf.nn.dropout(x, keep_prob)} for a constant probability; see {@link #dropout(Node, Node, Long)}. */
    public Node dropout(Node x, float keepProb) {
        return dropout(x, keepProb, null);
    }

    /** {@code tf.nn.dropout(x, keep_prob, seed=seed)} for a constant probability in (0, 1]. */
    public Node dropout(Node x, float keepProb, Long seed) {
        if (!(keepProb > 0f && keepProb <= 1f)) {
            throw new KilnException(tf.builder().currentPosition(), "dropout: keep_prob must be in (0, 1], got " + keepProb);
        }
        return dropout(x, tf.constant(keepProb), seed);
    }

    /**
     * {@code tf.nn.dropout(x, keep_prob, seed=seed)}: each element of {@code x} kept with probability
     * {@code keepProb} (a scalar, often a placeholder fed 1.0 to evaluate) and divided by it, else 0, with a new
     * mask every run. The mask is drawn by {@link HashUniform} from the seed (the op's, else its
     * order among seedless random ops), the element and a step counter: the scalar variable
     * {@code dropout_step} (then {@code dropout_step_1}, ...), which starts from the run's seed (or the op's)
     * and which each run adds one to. A run that performs the graph's assignments (a training step) draws a
     * new mask; a run that does not (evaluation) reuses the last.
     */
    public Node dropout(Node x, Node keepProb, Long seed) {
        tf.operand(x, "dropout");
        if (tf.operand(keepProb, "dropout").shape().rank() != 0) {
            throw new KilnException(tf.builder().currentPosition(), "dropout: keep_prob must be a scalar, got "
                    + tf.builder().describe(keepProb));
        }
        long s = seed != null ? seed : tf.random().nextSeedless();
        Node start = tf.mul(tf.random().uniform(Shape.SCALAR, 0f, 1f, seed), 1 << 20);
        Node step = tf.train().notTrainable(tf.variable(tf.train().freeName("dropout_step"), start));
        tf.assign(step, tf.add(step, 1f));
        Node index = tf.builder().add(new Iota(x.shape()));
        Node uniform = tf.builder().add(new HashUniform(Math.floorMod(s, 1 << 24)), index, step);
        Node kept = tf.math().cast(tf.math().less(uniform, keepProb), DType.FLOAT32);
        return tf.mul(tf.div(x, keepProb), kept);
    }
}
