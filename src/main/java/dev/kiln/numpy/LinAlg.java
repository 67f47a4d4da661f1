package dev.kiln.numpy;

/**
 * Matrix products: {@code matmul} ({@code @}) of vectors and matrices, stacks of matrices broadcasting over
 * their leading dimensions, and {@code dot}. Float products accumulate in double and round once to the
 * result type; NumPy calls BLAS, whose order of additions is its own, so float32 results may differ from
 * NumPy's in the last place.
 */
final class LinAlg {
    private LinAlg() {}

    static Object matmul(NdArray a, NdArray b) {
        if (a.ndim() == 0 || b.ndim() == 0) {
            throw new NumpyException("matmul: Input operand " + (a.ndim() == 0 ? 0 : 1) + " does not have enough "
                    + "dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)");
        }
        NpType type = Promotion.strong(a.dtype(), b.dtype());
        NdArray x = a.ndim() == 1 ? a.reshaped(new int[] {1, a.size()}) : a;
        NdArray y = b.ndim() == 1 ? b.reshaped(new int[] {b.size(), 1}) : b;
        int[] xs = x.shapeRef();
        int[] ys = y.shapeRef();
        int n = xs[xs.length - 2];
        int k = xs[xs.length - 1];
        int m = ys[ys.length - 1];
        if (ys[ys.length - 2] != k) {
            throw new NumpyException("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                    + "signature (n?,k),(k,m?)->(n?,m?) (size " + ys[ys.length - 2] + " is different from " + k + ")");
        }
        int[] batch = Shapes.broadcast(java.util.Arrays.copyOf(xs, xs.length - 2),
                java.util.Arrays.copyOf(ys, ys.length - 2));
        int batches = Shapes.size(batch);
        int[] bx = batchIndex(xs, batch);
        int[] by = batchIndex(ys, batch);
        double[] out = new double[batches * n * m];
        long[] outLong = type.isFloat() ? null : new long[out.length];
        for (int t = 0; t < batches; t++) {
            int ox = (bx == null ? t : bx[t]) * n * k;
            int oy = (by == null ? t : by[t]) * k * m;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    int at = (t * n + i) * m + j;
                    if (outLong != null) {
                        long acc = 0;
                        for (int p = 0; p < k; p++) {
                            long u = x.longAt(ox + i * k + p);
                            long v = y.longAt(oy + p * m + j);
                            acc = type == NpType.BOOL ? acc | (u & v) : acc + u * v;
                        }
                        outLong[at] = acc;
                    } else {
                        double acc = 0;
                        for (int p = 0; p < k; p++) {
                            acc += Casts.round(x.doubleAt(ox + i * k + p), type)
                                    * Casts.round(y.doubleAt(oy + p * m + j), type);
                        }
                        out[at] = acc;
                    }
                }
            }
        }
        int[] shape = resultShape(batch, a.ndim() == 1 ? -1 : n, b.ndim() == 1 ? -1 : m);
        NdArray r = outLong != null ? NdArray.of(type, shape, outLong) : NdArray.of(type, shape, out);
        return shape.length == 0 ? r.asScalar() : r;
    }

    /** {@code np.dot}: matmul for vectors and matrices, a product with a scalar. */
    static Object dot(Object a, Object b) {
        NdArray x = Operand.of(a).array();
        NdArray y = Operand.of(b).array();
        if (x.ndim() == 0 || y.ndim() == 0) {
            return Arith.binary("*", a, b);
        }
        if (x.ndim() > 2 || y.ndim() > 2) {
            throw new NumpyException("dot of arrays of more than 2 dimensions is not supported; use matmul");
        }
        int kx = x.shapeRef()[x.ndim() - 1];
        int ky = y.ndim() == 1 ? y.shapeRef()[0] : y.shapeRef()[0];
        if (kx != ky) {
            throw new NumpyException("shapes " + Shapes.compact(x.shapeRef()) + " and " + Shapes.compact(y.shapeRef())
                    + " not aligned: " + kx + " (dim " + (x.ndim() - 1) + ") != " + ky + " (dim 0)");
        }
        return matmul(x, y);
    }

    private static int[] batchIndex(int[] shape, int[] batch) {
        int[] own = java.util.Arrays.copyOf(shape, shape.length - 2);
        return Shapes.broadcastIndex(own, batch);
    }

    private static int[] resultShape(int[] batch, int n, int m) {
        int extra = (n >= 0 ? 1 : 0) + (m >= 0 ? 1 : 0);
        int[] shape = java.util.Arrays.copyOf(batch, batch.length + extra);
        int at = batch.length;
        if (n >= 0) {
            shape[at++] = n;
        }
        if (m >= 0) {
            shape[at] = m;
        }
        return shape;
    }
}
