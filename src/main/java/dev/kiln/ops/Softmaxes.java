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

    /** {@code x - max(x)} and {@code log(sum(exp(x - max(x))))} along the last axis, row by row. */
    static float[][] shiftedAndLogSum(Tensor x) {
        float[] d = x.data();
        int n = x.shape().dim(x.shape().rank() - 1);
        int rows = d.length / n;
        float[] z = new float[d.length];
        float[] lse = new float[rows];
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                m = Math.max(m, d[r * n + j]);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                z[r * n + j] = d[r * n + j] - m;
                sum += Exp.exp(z[r * n + j]);
            }
            lse[r] = Log.log(sum);
        }
        return new float[][] {z, lse};
    }

    /** The expansion of {@code x - max(x)} along the last axis, and of the log of the sum of its exps. */
    static Node[] shiftedAndLogSum(Ops o, Node x) {
        int[] last = lastAxis(x.shape().rank());
        Node z = o.sub(x, o.reduceMax(x, last, true));
        Node lse = o.log(o.reduceSum(o.exp(z), last, true));
        return new Node[] {z, lse};
    }
}
