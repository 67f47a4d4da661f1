package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
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
}
