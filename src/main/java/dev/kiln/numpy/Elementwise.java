package dev.kiln.numpy;

import java.util.function.DoubleUnaryOperator;

/**
 * NumPy's element functions: {@code exp}, {@code log}, {@code sqrt} and the other float functions (integers
 * and booleans computed in float64, float32 in float32 by rounding the double result, which may differ from
 * NumPy's own float32 routines in the last place), {@code abs}, {@code square}, {@code negative}, {@code sign},
 * {@code floor}, {@code ceil} and {@code rint} (keeping the type), {@code round} with decimals, the tests
 * {@code isnan}, {@code isinf}, {@code isfinite}, {@code logical_not}, and {@code clip} and {@code where}.
 */
final class Elementwise {
    private Elementwise() {}

    /** True if {@code name} is a one-argument element function here. */
    static boolean isUnary(String name) {
        return floatFunction(name) != null || switch (name) {
            case "abs", "absolute", "square", "negative", "sign", "floor", "ceil", "rint", "isnan", "isinf",
                    "isfinite", "logical_not" -> true;
            default -> false;
        };
    }

    private static DoubleUnaryOperator floatFunction(String name) {
        return switch (name) {
            case "exp" -> Math::exp;
            case "log" -> Math::log;
            case "log2" -> v -> Math.log(v) / Math.log(2);
            case "log10" -> Math::log10;
            case "log1p" -> Math::log1p;
            case "expm1" -> Math::expm1;
            case "sqrt" -> Math::sqrt;
            case "tanh" -> Math::tanh;
            case "sin" -> Math::sin;
            case "cos" -> Math::cos;
            case "tan" -> Math::tan;
            case "arctan" -> Math::atan;
            case "sinh" -> Math::sinh;
            case "cosh" -> Math::cosh;
            default -> null;
        };
    }

    static Object unary(String name, NdArray a) {
        NdArray out = compute(name, a);
        return out.ndim() == 0 ? out.asScalar() : out;
    }

    private static NdArray compute(String name, NdArray a) {
        DoubleUnaryOperator f = floatFunction(name);
        if (f != null) {
            NpType type = a.dtype() == NpType.FLOAT32 ? NpType.FLOAT32 : NpType.FLOAT64;
            return apply(a.as(type), f);
        }
        return switch (name) {
            case "isnan" -> test(a, Double::isNaN);
            case "isinf" -> test(a, Double::isInfinite);
            case "isfinite" -> test(a, Double::isFinite);
            case "logical_not" -> test(a, v -> v == 0);
            case "abs", "absolute" -> a.dtype() == NpType.BOOL ? a.copy() : a.doubles != null ? apply(a, Math::abs)
                    : (NdArray) Arith.function("maximum", a, Arith.unary("-", a));
            case "square" -> (NdArray) Arith.binary("*", a, a);
            case "negative" -> (NdArray) Arith.unary("-", a);
            case "sign" -> apply(a, v -> Double.isNaN(v) ? v : Math.signum(v));
            case "floor" -> a.dtype().isFloat() ? apply(a, Math::floor) : a.copy();
            case "ceil" -> a.dtype().isFloat() ? apply(a, Math::ceil) : a.copy();
            case "rint" -> a.dtype().isFloat() ? apply(a, Math::rint) : a.copy();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** {@code f} on every element, in the array's type (integer results of a float function truncate). */
    private static NdArray apply(NdArray a, DoubleUnaryOperator f) {
        if (a.doubles != null) {
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.applyAsDouble(a.doubles[i]);
            }
            return NdArray.of(a.dtype(), a.shapeRef(), out);
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            long v = a.longs[i];
            out[i] = v == Long.MIN_VALUE ? v : (long) f.applyAsDouble(v);
        }
        return NdArray.of(a.dtype(), a.shapeRef(), out);
    }

    private interface DoubleTest {
        boolean test(double v);
    }

    private static NdArray test(NdArray a, DoubleTest t) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.test(a.doubleAt(i)) ? 1 : 0;
        }
        return NdArray.of(NpType.BOOL, a.shapeRef(), out);
    }

    /**
     * {@code np.round(a, decimals)}: halves to even; with decimals, NumPy's scaling by {@code 10**decimals} in
     * the array's type, rounding, and scaling back.
     */
    static Object round(NdArray a, int decimals) {
        NdArray out;
        if (!a.dtype().isFloat()) {
            out = a.copy();
        } else if (decimals == 0) {
            out = apply(a, Math::rint);
        } else {
            boolean f32 = a.dtype() == NpType.FLOAT32;
            double scale = Casts.round(Math.pow(10, Math.abs(decimals)), a.dtype());
            out = apply(a, v -> {
                double y = decimals > 0 ? v * scale : v / scale;
                y = Math.rint(f32 ? (float) y : y);
                return decimals > 0 ? y / scale : y * scale;
            });
        }
        return out.ndim() == 0 ? out.asScalar() : out;
    }

    /** {@code np.clip(a, lo, hi)}: {@code minimum(maximum(a, lo), hi)}, either bound None to skip it. */
    static Object clip(Object a, Object lo, Object hi) {
        if (lo == null && hi == null) {
            throw new NumpyException("One of max or min must be given");
        }
        Object r = a;
        if (lo != null) {
            r = Arith.function("maximum", r, lo);
        }
        if (hi != null) {
            r = Arith.function("minimum", r, hi);
        }
        return r;
    }

    /** {@code np.where(cond, x, y)}: broadcast together, x where cond holds, else y. */
    static Object where(Object cond, Object x, Object y) {
        NdArray c = Operand.of(cond).array();
        Operand ox = Operand.of(x);
        Operand oy = Operand.of(y);
        NpType type = Promotion.common(ox, oy);
        NdArray a = ox.array().as(type);
        NdArray b = oy.array().as(type);
        int[] shape = Shapes.broadcast(Shapes.broadcast(c.shapeRef(), a.shapeRef()), b.shapeRef());
        int[] ic = Shapes.broadcastIndex(c.shapeRef(), shape);
        int[] ia = Shapes.broadcastIndex(a.shapeRef(), shape);
        int[] ib = Shapes.broadcastIndex(b.shapeRef(), shape);
        int n = Shapes.size(shape);
        double[] dv = type.isFloat() ? new double[n] : null;
        long[] lv = type.isFloat() ? null : new long[n];
        for (int k = 0; k < n; k++) {
            double cv = c.doubleAt(ic == null ? k : ic[k]);
            boolean take = cv != 0 || Double.isNaN(cv);
            NdArray src = take ? a : b;
            int at = take ? (ia == null ? k : ia[k]) : (ib == null ? k : ib[k]);
            if (dv != null) {
                dv[k] = src.doubles[at];
            } else {
                lv[k] = src.longs[at];
            }
        }
        NdArray out = dv != null ? NdArray.of(type, shape, dv) : NdArray.of(type, shape, lv);
        return out.ndim() == 0 ? out.asScalar() : out;
    }
}
