package dev.kiln.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Random;

/**
 * Test helpers for tensors: literal and seeded random tensors, element access by index, and an
 * {@code allclose} whose failure message names the (multi-dimensional) index and both values.
 */
public final class Tensors {
    private Tensors() {}

    // ---- construction

    /** A tensor with the given elements (row-major) and dimensions; the array is copied. */
    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data.clone());
    }

    public static Tensor scalar(float v) {
        return Tensor.scalar(v);
    }

    /** A vector. */
    public static Tensor vec(float... data) {
        return of(data, data.length);
    }

    /** A matrix from its rows. */
    public static Tensor mat(float[]... rows) {
        int c = rows[0].length;
        float[] d = new float[rows.length * c];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("ragged rows");
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Tensor(Shape.of(rows.length, c), d);
    }

    /** {@code n} standard normal floats from {@code java.util.Random(seed)}: data for a feed array. */
    public static float[] gaussian(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Uniform values in {@code [lo, hi)}, a function of {@code seed} alone. */
    public static Tensor uniform(long seed, float lo, float hi, int... dims) {
        Random r = new Random(seed);
        Shape s = Shape.of(dims);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * r.nextFloat();
        }
        return new Tensor(s, d);
    }

    /** Uniform values in {@code [-1, 1)}. */
    public static Tensor random(long seed, int... dims) {
        return uniform(seed, -1f, 1f, dims);
    }

    /** Uniform values in {@code [0.5, 2)}: safe for log, division, square roots and negative powers. */
    public static Tensor positive(long seed, int... dims) {
        return uniform(seed, 0.5f, 2f, dims);
    }

    /** Values with magnitude in {@code [lo, hi)} and a random sign: away from the kink of relu at 0. */
    public static Tensor awayFromZero(long seed, float lo, float hi, int... dims) {
        Random r = new Random(seed);
        Shape s = Shape.of(dims);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            float m = lo + (hi - lo) * r.nextFloat();
            d[i] = r.nextBoolean() ? m : -m;
        }
        return new Tensor(s, d);
    }

    /**
     * Values {@code 0.5 k + (odd ? 0.25 : 0) + jitter} with k in -3..3 and |jitter| below 0.05. An "odd" and an
     * "even" tensor differ by at least 0.15 at every pair of elements, so maximum and minimum are far from
     * their ties.
     */
    public static Tensor staggered(long seed, boolean odd, int... dims) {
        Random r = new Random(seed);
        Shape s = Shape.of(dims);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            int k = r.nextInt(7) - 3;
            d[i] = 0.5f * k + (odd ? 0.25f : 0f) + 0.1f * (r.nextFloat() - 0.5f);
        }
        return new Tensor(s, d);
    }

    /** A copy of {@code t} with each element multiplied by {@code c}. */
    public static Tensor scaled(Tensor t, float c) {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= c;
        }
        return new Tensor(t.shape(), d);
    }

    // ---- access

    /** The element at a multi-dimensional index. */
    public static float get(Tensor t, int... index) {
        return t.data()[flat(t.shape(), index)];
    }

    public static int flat(Shape s, int... index) {
        if (index.length != s.rank()) {
            throw new IllegalArgumentException("index of rank " + index.length + " for shape " + s);
        }
        int[] st = s.strides();
        int f = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= s.dim(i)) {
                throw new IndexOutOfBoundsException("index " + java.util.Arrays.toString(index) + " in " + s);
            }
            f += index[i] * st[i];
        }
        return f;
    }

    /** {@code [1,2]}: the multi-dimensional index of flat position {@code flat} in {@code s}. */
    public static String indexText(Shape s, int flat) {
        StringBuilder b = new StringBuilder("[");
        int[] st = s.strides();
        for (int i = 0; i < s.rank(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(flat / st[i]);
            flat %= st[i];
        }
        return b.append(']').toString();
    }

    // ---- comparison

    /** Same shape and every element within {@code 1e-6 + 1e-5 * |expected|}. */
    public static void assertAllClose(Tensor expected, Tensor actual) {
        assertAllClose(expected, actual, 1e-6, 1e-5, null);
    }

    public static void assertAllClose(Tensor expected, Tensor actual, double atol, double rtol) {
        assertAllClose(expected, actual, atol, rtol, null);
    }

    /**
     * Same shape and {@code |actual - expected| <= atol + rtol * |expected|} at every element (NaNs must
     * match). The failure names the first differing index, both values and how many elements differ.
     */
    public static void assertAllClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        String prefix = what == null ? "" : what + ": ";
        if (actual == null) {
            fail(prefix + "expected " + expected + " but was null");
        }
        if (!expected.shape().equals(actual.shape())) {
            fail(prefix + "shapes differ: expected " + expected.shape() + " but was " + actual.shape());
        }
        float[] e = expected.data();
        float[] a = actual.data();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            if (!close(e[i], a[i], atol, rtol)) {
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
        }
        if (bad > 0) {
            double tol = atol + rtol * Math.abs(e[first]);
            fail(prefix + "tensors of shape " + expected.shape() + " differ at " + indexText(expected.shape(), first)
                    + " (flat " + first + "): expected " + e[first] + " but was " + a[first] + " (|diff| "
                    + Math.abs((double) a[first] - e[first]) + " > " + tol + "); " + bad + " of " + e.length
                    + " elements differ");
        }
    }

    /** Shape {@code dims} and elements close to {@code expected}. */
    public static void assertAllClose(float[] expected, int[] dims, Tensor actual) {
        assertAllClose(of(expected, dims), actual);
    }

    static boolean close(double e, double a, double atol, double rtol) {
        if (Double.isNaN(e) || Double.isNaN(a)) {
            return Double.isNaN(e) && Double.isNaN(a);
        }
        if (Double.isInfinite(e) || Double.isInfinite(a)) {
            return e == a;
        }
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }
}
