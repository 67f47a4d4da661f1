package dev.kiln.numpy;

import java.util.Arrays;

/**
 * Reductions over all elements or along one axis, as NumPy computes them: {@code sum} and {@code prod} (booleans
 * and int32 widen to int64), {@code mean} (integers in float64, float32 in float32: the float32 sum divided by the
 * count), {@code max}, {@code min} (NaN wins), {@code argmax}, {@code argmin} (the first extreme, or the first
 * NaN), {@code var} and {@code std} (NumPy's two passes: the mean, then the sum of squared deviations), {@code any}
 * and {@code all}. Float sums follow {@link Pairwise}; when the values are converted for the sum (integers to
 * float64 for a mean), NumPy sums them in buffers of 8192, and so does this.
 */
final class Reductions {
    private static final int BUFFER = 8192;

    private Reductions() {}

    /** The values reduced for each output element: {@code length} values from each base, {@code stride} apart. */
    private record Lines(int[] outShape, int[] bases, int stride, int length, boolean innermost) {
        static Lines of(int[] shape, Integer axis) {
            if (axis == null) {
                return new Lines(new int[0], new int[] {0}, 1, Shapes.size(shape), true);
            }
            int ax = Shapes.axis(axis, shape.length);
            int inner = 1;
            for (int i = ax + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            int n = shape[ax];
            int[] out = new int[shape.length - 1];
            for (int i = 0, j = 0; i < shape.length; i++) {
                if (i != ax) {
                    out[j++] = shape[i];
                }
            }
            int[] bases = new int[Shapes.size(out)];
            for (int o = 0; o < bases.length; o++) {
                bases[o] = o / inner * n * inner + o % inner;
            }
            return new Lines(out, bases, inner, n, inner == 1);
        }

        /** Line {@code o}'s values as doubles in {@code type}. */
        double[] doubles(NdArray a, int o, NpType type) {
            double[] v = new double[length];
            for (int i = 0; i < length; i++) {
                v[i] = Casts.round(a.doubleAt(bases[o] + i * stride), type);
            }
            return v;
        }
    }

    /** {@code name} of {@code a} over {@code axis} (null for all elements); {@code ddof} for var and std. */
    static Object reduce(String name, NdArray a, Integer axis, int ddof) {
        Lines lines = Lines.of(a.shapeRef(), axis);
        NdArray out = switch (name) {
            case "sum", "prod" -> sum(a, lines, name.equals("prod"));
            case "mean" -> mean(a, lines);
            case "max", "min" -> extreme(a, lines, name.equals("max"));
            case "argmax", "argmin" -> argExtreme(a, lines, name.equals("argmax"));
            case "var", "std" -> variance(a, lines, ddof, name.equals("std"));
            case "any", "all" -> truth(a, lines, name.equals("any"));
            default -> throw new IllegalArgumentException(name);
        };
        return out.ndim() == 0 ? out.asScalar() : out;
    }

    private static NdArray sum(NdArray a, Lines lines, boolean product) {
        int count = lines.bases().length;
        if (a.dtype().isFloat()) {
            double[] out = new double[count];
            boolean f32 = a.dtype() == NpType.FLOAT32;
            for (int o = 0; o < count; o++) {
                double[] v = lines.doubles(a, o, a.dtype());
                out[o] = product ? product(v, f32) : floatSum(v, lines.innermost(), false, f32);
            }
            return NdArray.of(a.dtype(), lines.outShape(), out);
        }
        long[] out = new long[count];
        for (int o = 0; o < count; o++) {
            long acc = product ? 1 : 0;
            for (int i = 0; i < lines.length(); i++) {
                long v = a.longs[lines.bases()[o] + i * lines.stride()];
                acc = product ? acc * v : acc + v;
            }
            out[o] = acc;
        }
        return NdArray.of(NpType.INT64, lines.outShape(), out);
    }

    private static double product(double[] v, boolean f32) {
        double acc = 1;
        for (double x : v) {
            acc = Casts.round(acc * x, f32 ? NpType.FLOAT32 : NpType.FLOAT64);
        }
        return acc;
    }

    /** A float sum as NumPy's add reduction makes it; {@code converted} when the values were cast for it. */
    private static double floatSum(double[] v, boolean innermost, boolean converted, boolean f32) {
        if (!innermost) {
            return Pairwise.sequential(v, 0, v.length, f32);
        }
        if (!converted) {
            return Casts.round(0.0 + Pairwise.sum(v, 0, v.length, f32), f32 ? NpType.FLOAT32 : NpType.FLOAT64);
        }
        double acc = 0.0;
        for (int from = 0; from < v.length; from += BUFFER) {
            acc = Casts.round(acc + Pairwise.sum(v, from, Math.min(BUFFER, v.length - from), f32),
                    f32 ? NpType.FLOAT32 : NpType.FLOAT64);
        }
        return acc;
    }

    private static NdArray mean(NdArray a, Lines lines) {
        NpType type = a.dtype() == NpType.FLOAT32 ? NpType.FLOAT32 : NpType.FLOAT64;
        if (lines.length() == 0) {
            double[] nan = new double[lines.bases().length];
            Arrays.fill(nan, Double.NaN);
            return NdArray.of(type, lines.outShape(), nan);
        }
        double[] out = new double[lines.bases().length];
        for (int o = 0; o < out.length; o++) {
            double s = floatSum(lines.doubles(a, o, type), lines.innermost(), a.dtype() != type,
                    type == NpType.FLOAT32);
            out[o] = Casts.round(s / Casts.round(lines.length(), type), type);
        }
        return NdArray.of(type, lines.outShape(), out);
    }

    private static NdArray variance(NdArray a, Lines lines, int ddof, boolean std) {
        NpType type = a.dtype() == NpType.FLOAT32 ? NpType.FLOAT32 : NpType.FLOAT64;
        double n = Casts.round(Math.max(lines.length() - ddof, 0), type);
        double[] out = new double[lines.bases().length];
        for (int o = 0; o < out.length; o++) {
            double[] v = lines.doubles(a, o, type);
            double mean = Casts.round(floatSum(v, lines.innermost(), a.dtype() != type, type == NpType.FLOAT32)
                    / Casts.round(lines.length(), type), type);
            for (int i = 0; i < v.length; i++) {
                double d = Casts.round(v[i] - mean, type);
                v[i] = Casts.round(d * d, type);
            }
            double var = Casts.round(floatSum(v, lines.innermost(), false, type == NpType.FLOAT32) / n, type);
            out[o] = std ? Casts.round(Math.sqrt(var), type) : var;
        }
        return NdArray.of(type, lines.outShape(), out);
    }

    private static NdArray extreme(NdArray a, Lines lines, boolean max) {
        requireNonEmpty(lines, max ? "maximum" : "minimum");
        NdArray idx = argExtreme(a, lines, max);
        int[] flat = new int[idx.size()];
        for (int o = 0; o < flat.length; o++) {
            flat[o] = lines.bases()[o] + (int) idx.longs[o] * lines.stride();
        }
        if (a.doubles != null) {
            double[] out = new double[flat.length];
            for (int o = 0; o < flat.length; o++) {
                out[o] = a.doubles[flat[o]];
            }
            return NdArray.of(a.dtype(), lines.outShape(), out);
        }
        long[] out = new long[flat.length];
        for (int o = 0; o < flat.length; o++) {
            out[o] = a.longs[flat[o]];
        }
        return NdArray.of(a.dtype(), lines.outShape(), out);
    }

    private static NdArray argExtreme(NdArray a, Lines lines, boolean max) {
        if (lines.length() == 0) {
            throw new NumpyException("attempt to get " + (max ? "argmax" : "argmin") + " of an empty sequence");
        }
        long[] out = new long[lines.bases().length];
        for (int o = 0; o < out.length; o++) {
            int best = 0;
            for (int i = 1; i < lines.length(); i++) {
                int at = lines.bases()[o] + i * lines.stride();
                int cur = lines.bases()[o] + best * lines.stride();
                if (a.doubles != null) {
                    double x = a.doubles[at];
                    double b = a.doubles[cur];
                    if (Double.isNaN(b)) {
                        break;
                    }
                    if (Double.isNaN(x) || (max ? x > b : x < b)) {
                        best = i;
                    }
                } else if (max ? a.longs[at] > a.longs[cur] : a.longs[at] < a.longs[cur]) {
                    best = i;
                }
            }
            out[o] = best;
        }
        return NdArray.of(NpType.INT64, lines.outShape(), out);
    }

    private static NdArray truth(NdArray a, Lines lines, boolean any) {
        long[] out = new long[lines.bases().length];
        for (int o = 0; o < out.length; o++) {
            boolean r = !any;
            for (int i = 0; i < lines.length(); i++) {
                boolean t = a.doubleAt(lines.bases()[o] + i * lines.stride()) != 0
                        || a.doubles != null && Double.isNaN(a.doubles[lines.bases()[o] + i * lines.stride()]);
                if (t == any) {
                    r = any;
                    break;
                }
            }
            out[o] = r ? 1 : 0;
        }
        return NdArray.of(NpType.BOOL, lines.outShape(), out);
    }

    private static void requireNonEmpty(Lines lines, String ufunc) {
        if (lines.length() == 0) {
            throw new NumpyException("zero-size array to reduction operation " + ufunc + " which has no identity");
        }
    }
}
