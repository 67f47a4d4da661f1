package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;

/**
 * What the softmax ops share: the last axis, checks, and their values computed stably (the row's maximum
 * subtracted before {@code exp}), in float as the compiled expansion computes them.
 */
final class Softmaxes {
    private Softmaxes() {}

    /** The last axis of a tensor of rank {@code rank}, as a reduction's axes. */
    static int[] lastAxis(int rank) {
        return new int[] {rank - 1};
    }

    static void checkRank(String op, Shape s) {
        if (s.rank() < 1) {
            throw new KilnException(op + " needs logits of rank 1 or more, got a scalar");
        }
    }

    /**
     * The loss's shape, the logits' without the last axis, after checking that {@code labels} agrees with
     * the logits on their first {@code labels.rank()} dimensions (unknown ones agree with any) and has rank
     * {@code labelsRank}; else {@code problem} is the complaint.
     */
    static Shape rowsOf(Shape labels, Shape logits, int labelsRank, String problem) {
        boolean same = labels.rank() == labelsRank;
        for (int d = 0; same && d < labels.rank(); d++) {
            int a = labels.dim(d);
            int b = logits.dim(d);
            same = a == b || a == Shape.UNKNOWN || b == Shape.UNKNOWN;
        }
        if (!same) {
            throw new KilnException(problem + ", got labels " + labels + " and logits " + logits);
        }
        return Shape.of(java.util.Arrays.copyOf(logits.dims(), logits.rank() - 1));
    }

    /** The length of the last axis: a row. */
    static int rowLength(Tensor x) {
        return x.shape().dim(x.shape().rank() - 1);
    }

    /** {@code x - max(x)} along the last axis, row by row. */
    static float[] shifted(Tensor x) {
        float[] d = x.data();
        int n = rowLength(x);
        float[] z = new float[d.length];
        for (int r = 0; r < d.length / n; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                m = Math.max(m, d[r * n + j]);
            }
            for (int j = 0; j < n; j++) {
                z[r * n + j] = d[r * n + j] - m;
            }
        }
        return z;
    }

    /** {@code log(sum(exp(z)))} of each row of {@code n} shifted values. */
    static float[] logSums(float[] z, int n) {
        float[] lse = new float[z.length / n];
        for (int r = 0; r < lse.length; r++) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                sum += Exp.exp(z[r * n + j]);
            }
            lse[r] = Log.log(sum);
        }
        return lse;
    }

    /** The expansion of {@code x - max(x)} along the last axis, and of the log of the sum of its exps. */
    static Node[] shiftedAndLogSum(Ops o, Node x) {
        int[] last = lastAxis(x.shape().rank());
        Node z = o.sub(x, o.reduceMax(x, last, true));
        Node lse = o.log(o.reduceSum(o.exp(z), last, true));
        return new Node[] {z, lse};
    }
}
