package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ops.Mul;

/** Small predicates the rewrite rules share. */
final class Patterns {
    private Patterns() {}

    /** The value of a rank-0 constant, or null. */
    static Float scalar(Node n) {
        return n.shape().rank() == 0 ? n.op().uniformValue() : null;
    }

    static boolean isScalar(Node n, float v) {
        Float s = scalar(n);
        return s != null && s == v;
    }

    /** For {@code mul(s, x)} with s a rank-0 constant: s; else null. */
    static Float scaleOf(Node n) {
        return n.op() instanceof Mul ? scalar(n.input(0)) : null;
    }

    /** True when {@code n} is {@code mul(s, x)} with a scalar constant s and x not itself a constant. */
    static boolean isScaled(Node n) {
        return scaleOf(n) != null && scalar(n.input(1)) == null;
    }
}
