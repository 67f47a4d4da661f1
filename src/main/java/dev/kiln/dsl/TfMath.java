package dev.kiln.dsl;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ops.Compare;

/**
 * The functions of TensorFlow's {@code tf.math} that leave float32: comparisons (bool), {@code argmax}
 * (integers) and {@code cast}, reached as {@code tf.math()}. A classifier's accuracy reads
 * {@code m.reduceMean(m.cast(m.equal(m.argmax(logits, 1), labels), DType.FLOAT32))}, as in TF1.
 */
public final class TfMath {
    private final Tf tf;

    TfMath(Tf tf) {
        this.tf = tf;
    }

    /** {@code tf.argmax(x, axis)}: the index of the largest element along {@code axis}, as int64. */
    public Node argmax(Node x, int axis) {
        return argmax(x, axis, DType.INT64);
    }

    /** {@code tf.argmax(x, axis, output_type=type)}; {@code type} is int32 or int64. */
    public Node argmax(Node x, int axis, DType type) {
        if (type == null || !type.isInteger()) {
            throw new KilnException(tf.builder().currentPosition(), "argmax: output_type must be int32 or int64, got "
                    + (type == null ? "null" : type.pythonName()));
        }
        return tf.ops().argmax(tf.operand(x, "argmax"), axis, type);
    }

    /** {@code tf.cast(x, to)}: see {@link dev.kiln.ops.Cast}. */
    public Node cast(Node x, DType to) {
        if (to == null) {
            throw new KilnException(tf.builder().currentPosition(), "cast: the dtype is null");
        }
        return tf.ops().cast(tf.operand(x, "cast"), to);
    }

    /** {@code tf.equal(x, y)}, element by element with broadcasting: bool. */
    public Node equal(Node x, Node y) {
        return compare(Compare.Kind.EQUAL, x, y);
    }

    public Node notEqual(Node x, Node y) {
        return compare(Compare.Kind.NOT_EQUAL, x, y);
    }

    public Node less(Node x, Node y) {
        return compare(Compare.Kind.LESS, x, y);
    }

    public Node lessEqual(Node x, Node y) {
        return compare(Compare.Kind.LESS_EQUAL, x, y);
    }

    public Node greater(Node x, Node y) {
        return compare(Compare.Kind.GREATER, x, y);
    }

    public Node greaterEqual(Node x, Node y) {
        return compare(Compare.Kind.GREATER_EQUAL, x, y);
    }

    /** The comparison's mask, cast to bool. */
    private Node compare(Compare.Kind kind, Node x, Node y) {
        String op = kind.name().toLowerCase(java.util.Locale.ROOT);
        return tf.ops().cast(tf.ops().compare(kind, tf.operand(x, op), tf.operand(y, op)), DType.BOOL);
    }
}
