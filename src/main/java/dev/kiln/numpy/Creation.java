package dev.kiln.numpy;

import java.util.Arrays;

/**
 * Arrays made from nothing or from a pattern: {@code zeros}, {@code ones}, {@code full} (and their
 * {@code _like} forms; {@code empty} gives zeros), {@code arange} and {@code linspace} computed as NumPy computes
 * their elements, {@code eye}, and the scalar types used as conversions ({@code np.float32(3)}).
 */
final class Creation {
    private Creation() {}

    /** An array of {@code shape} with every element {@code value} cast to {@code type}. */
    static NdArray filled(int[] shape, NpType type, Object value) {
        int n = Shapes.size(shape);
        if (type.isFloat()) {
            double[] v = new double[n];
            Arrays.fill(v, Operand.of(value).array().doubleAt(0));
            return NdArray.of(type, shape, v);
        }
        NdArray x = Operand.of(value).array().astype(type);
        long[] v = new long[n];
        Arrays.fill(v, x.longs[0]);
        return NdArray.of(type, shape, v);
    }

    /** The dtype {@code np.full} infers from a fill value: Python int int64, float float64, bool bool. */
    static NpType typeOf(Object value) {
        return Operand.of(value).type();
    }

    /**
     * {@code np.arange(start, stop, step)}: {@code ceil((stop - start) / step)} elements; floats as NumPy fills
     * them, {@code start + i * delta} in the result type with {@code delta} the difference of the first two.
     */
    static NdArray arange(Object start, Object stop, Object step, NpType dtype) {
        boolean floats = start instanceof Double || stop instanceof Double || step instanceof Double
                || isFloatArray(start) || isFloatArray(stop) || isFloatArray(step);
        NpType type = dtype != null ? dtype : floats ? NpType.FLOAT64 : NpType.INT64;
        double a = num(start);
        double b = num(stop);
        double s = num(step);
        if (s == 0) {
            throw new NumpyException("ZeroDivisionError", "division by zero", "step");
        }
        if (!floats && type.isInteger() || !floats && type == NpType.BOOL) {
            long la = Args.toLong(start, "start");
            long lb = Args.toLong(stop, "stop");
            long ls = Args.toLong(step, "step");
            long n = Math.max(0, ls > 0 ? (lb - la + ls - 1) / ls : (la - lb - ls - 1) / -ls);
            long[] v = new long[Shapes.size(new int[] {(int) Math.min(n, Integer.MAX_VALUE)})];
            for (int i = 0; i < v.length; i++) {
                v[i] = la + i * ls;
            }
            return NdArray.of(type, new int[] {v.length}, v);
        }
        double len = Math.ceil((b - a) / s);
        if (len > Shapes.MAX_SIZE) {
            throw Shapes.tooBig();
        }
        int n = (int) Math.max(0, len);
        double[] v = new double[n];
        if (n > 0) {
            double first = Casts.round(a, type);
            double delta = Casts.round(Casts.round(a + s, type) - first, type);
            for (int i = 0; i < n; i++) {
                v[i] = i == 1 ? Casts.round(a + s, type) : Casts.round(first + Casts.round(i * delta, type), type);
            }
        }
        return NdArray.of(type.isFloat() ? type : NpType.FLOAT64, new int[] {n}, v).astype(type);
    }

    private static boolean isFloatArray(Object v) {
        return v instanceof NdArray a && a.dtype().isFloat();
    }

    private static double num(Object v) {
        if (v instanceof NdArray a && a.size() == 1) {
            return a.doubleAt(0);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new NumpyException("TypeError", "unsupported type " + PyValues.typeName(v) + " for arange", null);
    }

    /** {@code np.linspace}: {@code start + i * step} in float64, the last element exactly {@code stop}. */
    static NdArray linspace(double start, double stop, int num, boolean endpoint, NpType dtype) {
        if (num < 0) {
            throw new NumpyException("Number of samples, " + num + ", must be non-negative.");
        }
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        double step = div > 0 ? delta / div : Double.NaN;
        double[] v = new double[num];
        for (int i = 0; i < num; i++) {
            v[i] = (step == 0 ? i / (double) div * delta : i * step) + start;
        }
        if (endpoint && num > 1) {
            v[num - 1] = stop;
        }
        if (div == 0 && num == 1) {
            v[0] = start;
        }
        return NdArray.of(NpType.FLOAT64, new int[] {num}, v).astype(dtype == null ? NpType.FLOAT64 : dtype);
    }

    /** {@code np.eye(n, m, k)}: ones on the k-th diagonal. */
    static NdArray eye(int n, int m, int k, NpType type) {
        double[] v = new double[Shapes.size(new int[] {n, m})];
        for (int i = 0; i < n; i++) {
            int j = i + k;
            if (j >= 0 && j < m) {
                v[i * m + j] = 1;
            }
        }
        return NdArray.of(NpType.FLOAT64, new int[] {n, m}, v).astype(type);
    }

    /** {@code np.float32(x)} and the other scalar types: a NumPy scalar, or an array converted for an array. */
    static Object convert(NpType type, Object x) {
        if (x == null) {
            return NdArray.scalar(type, 0L);
        }
        if (x instanceof String s) {
            try {
                return type.isFloat() ? NdArray.scalar(type, Double.parseDouble(s.strip()))
                        : NdArray.scalar(type, Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                throw new NumpyException("could not convert string to " + (type.isFloat() ? "float" : "int") + ": '"
                        + s + "'");
            }
        }
        NdArray a = PyValues.toArray(x, type);
        return a.ndim() == 0 ? a.asScalar() : a;
    }
}
