package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import java.util.Arrays;

/** Axis lists of reductions: normalizing them and the shapes they produce. */
public final class Reduction {
    private Reduction() {}

    /** {@code [0, 1, ..., rank-1]}. */
    public static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Axes made non-negative and sorted; {@code null} means all axes. Out of range or repeated is an error. */
    public static int[] normalize(int[] axes, int rank) {
        if (axes == null) {
            return allAxes(rank);
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                throw new KilnException("axis " + axes[i] + " is out of range for a tensor of rank " + rank);
            }
            out[i] = a;
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new KilnException("axis " + out[i] + " is repeated in " + Arrays.toString(axes));
            }
        }
        return out;
    }

    public static boolean contains(int[] axes, int axis) {
        for (int a : axes) {
            if (a == axis) {
                return true;
            }
        }
        return false;
    }

    /** The shape after reducing {@code in} over {@code axes}. */
    public static Shape reducedShape(Shape in, int[] axes, boolean keepDims) {
        int[] d = new int[keepDims ? in.rank() : in.rank() - axes.length];
        int j = 0;
        for (int i = 0; i < in.rank(); i++) {
            if (contains(axes, i)) {
                if (keepDims) {
                    d[j++] = 1;
                }
            } else {
                d[j++] = in.dim(i);
            }
        }
        return Shape.of(d);
    }

    /**
     * Sums {@code x} over {@code axes}; the result is laid out as the reduced shape (with or without the
     * kept 1s, which does not change the order of elements).
     */
    public static float[] sum(float[] x, Shape in, int[] axes) {
        return combine(x, in, axes, 0f, (a, b) -> a + b);
    }

    /**
     * Combines {@code x} over {@code axes}, in element order, starting each result from {@code start}: a sum
     * ({@code 0, +}) or a maximum ({@code -∞, Math::max}); laid out as {@link #sum} is.
     */
    public static float[] combine(float[] x, Shape in, int[] axes, float start, Broadcast.FloatBinary op) {
        int[] dims = in.dims();
        int[] outStrides = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (!contains(axes, i)) {
                outStrides[i] = acc;
                acc *= dims[i];
            }
        }
        float[] r = new float[acc];
        java.util.Arrays.fill(r, start);
        int[] idx = new int[dims.length];
        int o = 0;
        for (float v : x) {
            r[o] = op.apply(r[o], v);
            for (int d = dims.length - 1; d >= 0; d--) {
                idx[d]++;
                o += outStrides[d];
                if (idx[d] < dims[d]) {
                    break;
                }
                o -= outStrides[d] * dims[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    /** Product of the dimensions of {@code in} along {@code axes}. */
    public static int count(Shape in, int[] axes) {
        int n = 1;
        for (int a : axes) {
            n *= in.dim(a);
        }
        return n;
    }

    public static String axesText(int[] axes) {
        return Arrays.toString(axes).replace(" ", "");
    }
}
