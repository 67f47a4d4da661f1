package dev.kiln.numpy;

/**
 * NumPy's float sums ({@code pairwise_sum} in its add loops), reproduced so sums and means of float32 arrays
 * agree bit for bit: fewer than 8 values are added one by one; up to 128 go into 8 running sums combined as
 * {@code ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))}, the rest added one by one; longer runs split in two at a
 * multiple of 8 and recurse. Every addition rounds to the sum's type. NumPy uses this along a reduction's
 * innermost axis only; along an outer axis each output adds its values in order ({@link #sequential}).
 */
final class Pairwise {
    private static final int BLOCK = 128;

    private Pairwise() {}

    /** The sum of {@code n} values from {@code from}, in float32 when {@code f32}. */
    static double sum(double[] v, int from, int n, boolean f32) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res = r(res + v[from + i], f32);
            }
            return res;
        }
        if (n <= BLOCK) {
            double[] acc = new double[8];
            System.arraycopy(v, from, acc, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    acc[j] = r(acc[j] + v[from + i + j], f32);
                }
            }
            double res = r(r(r(acc[0] + acc[1], f32) + r(acc[2] + acc[3], f32), f32)
                    + r(r(acc[4] + acc[5], f32) + r(acc[6] + acc[7], f32), f32), f32);
            for (; i < n; i++) {
                res = r(res + v[from + i], f32);
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return r(sum(v, from, n2, f32) + sum(v, from + n2, n - n2, f32), f32);
    }

    /** The sum of the values in order, from 0. */
    static double sequential(double[] v, int from, int n, boolean f32) {
        double res = 0.0;
        for (int i = 0; i < n; i++) {
            res = r(res + v[from + i], f32);
        }
        return res;
    }

    private static double r(double v, boolean f32) {
        return f32 ? (float) v : v;
    }
}
