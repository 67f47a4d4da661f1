package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The {@code np.random} functions on the global legacy generator ({@link RandomState}), drawing in NumPy's
 * order so a seeded program gets NumPy's numbers: {@code seed}, {@code rand}, {@code randn}, {@code random},
 * {@code random_sample}, {@code uniform}, {@code normal}, {@code randint}, {@code permutation},
 * {@code shuffle} (in place, rows of a matrix) and {@code choice} (without probabilities). Without a size they
 * return a Python float or int, as NumPy does; with one, a float64 (int64 for randint) array.
 */
final class RandomFunctions {
    private RandomFunctions() {}

    static boolean has(String name) {
        return switch (name) {
            case "seed", "rand", "randn", "random", "random_sample", "ranf", "sample", "uniform", "normal",
                    "standard_normal", "randint", "permutation", "shuffle", "choice" -> true;
            default -> false;
        };
    }

    static Object call(String name, List<Object> args, Map<String, Object> kwargs, RandomState r) {
        String f = "random." + name;
        switch (name) {
            case "rand", "randn": {
                if (kwargs != null && !kwargs.isEmpty()) {
                    String key = kwargs.keySet().iterator().next();
                    throw new NumpyException("TypeError", f + "() got an unexpected keyword argument '" + key + "'", key);
                }
                List<Long> dims = new ArrayList<>();
                for (Object a : args) {
                    dims.add(Args.toLong(a, "d"));
                }
                int[] shape = Shapes.of(dims);
                return draw(args.isEmpty() ? null : shape, name.equals("rand") ? r::randomSample : r::gauss);
            }
            case "seed": {
                Args p = new Args(f, args, kwargs, "seed");
                long seed = p.has("seed") ? p.integer("seed", 0) : System.nanoTime() & 0xffffffffL;
                if (seed < 0 || seed > 0xffffffffL) {
                    throw new NumpyException("ValueError", "Seed must be between 0 and 2**32 - 1", "seed");
                }
                r.seed(seed);
                return null;
            }
            case "random", "random_sample", "ranf", "sample": {
                Args p = new Args(f, args, kwargs, "size");
                return draw(size(p), r::randomSample);
            }
            case "standard_normal": {
                Args p = new Args(f, args, kwargs, "size");
                return draw(size(p), r::gauss);
            }
            case "uniform": {
                Args p = new Args(f, args, kwargs, "low", "high", "size");
                double low = p.real("low", 0.0);
                double high = p.real("high", 1.0);
                return draw(size(p), () -> r.uniform(low, high));
            }
            case "normal": {
                Args p = new Args(f, args, kwargs, "loc", "scale", "size");
                double loc = p.real("loc", 0.0);
                double scale = p.real("scale", 1.0);
                if (scale < 0) {
                    throw new NumpyException("ValueError", "scale < 0", "scale");
                }
                return draw(size(p), () -> r.normal(loc, scale));
            }
            case "randint":
                return randint(f, args, kwargs, r);
            case "permutation": {
                Args p = new Args(f, args, kwargs, "x");
                Object x = p.required("x");
                if (x instanceof Long || x instanceof NdArray a && a.isScalar() && !a.dtype().isFloat()) {
                    long n = Math.max(0, Args.toLong(x, "x")); // NumPy permutes arange(n): empty for n < 0
                    return NdArray.of(NpType.INT64, new int[] {(int) n}, r.permutation((int) n));
                }
                NdArray a = p.array("x").copy().asArray();
                shuffle(a, r);
                return a;
            }
            case "shuffle": {
                Args p = new Args(f, args, kwargs, "x");
                if (!(p.required("x") instanceof NdArray a) || a.ndim() == 0) {
                    throw new NumpyException("TypeError", "shuffle needs an array of at least one dimension", "x");
                }
                shuffle(a, r);
                a.changed();
                return null;
            }
            case "choice":
                return choice(f, args, kwargs, r);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static int[] size(Args p) {
        return p.has("size") ? Args.toShape(p.get("size"), "size") : null;
    }

    /** One Python float without a shape, else a float64 array of draws in C order. */
    private static Object draw(int[] shape, DoubleSupplier next) {
        if (shape == null) {
            return next.getAsDouble();
        }
        double[] v = new double[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = next.getAsDouble();
        }
        return NdArray.of(NpType.FLOAT64, shape, v);
    }

    private static Object randint(String f, List<Object> args, Map<String, Object> kwargs, RandomState r) {
        Args p = new Args(f, args, kwargs, "low", "high", "size", "dtype");
        long low = p.integer("low", 0);
        if (!p.has("low")) {
            p.required("low");
        }
        long high = p.integer("high", Long.MIN_VALUE);
        if (!p.has("high")) {
            high = low;
            low = 0;
        }
        if (low >= high) {
            throw new NumpyException("ValueError", "low >= high", "low");
        }
        NpType type = p.has("dtype") ? p.dtype("dtype") : NpType.INT64;
        int[] shape = size(p);
        if (shape == null) {
            long v = r.randint(low, high);
            return type == NpType.INT64 ? (Object) v : NdArray.scalar(type, v);
        }
        long[] v = new long[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.randint(low, high);
        }
        return NdArray.of(type, shape, v);
    }

    /** Shuffles the rows (first axis) of {@code a} in place, as NumPy's legacy {@code shuffle}. */
    static void shuffle(NdArray a, RandomState r) {
        int rows = a.shapeRef()[0];
        int row = rows == 0 ? 0 : a.size() / rows;
        r.shuffle(rows, (i, j) -> {
            for (int k = 0; k < row; k++) {
                int x = i * row + k;
                int y = j * row + k;
                if (a.doubles != null) {
                    double t = a.doubles[x];
                    a.doubles[x] = a.doubles[y];
                    a.doubles[y] = t;
                } else {
                    long t = a.longs[x];
                    a.longs[x] = a.longs[y];
                    a.longs[y] = t;
                }
            }
        });
    }

    /** {@code choice(a, size, replace)}: draws by randint with replacement, a permutation's head without. */
    private static Object choice(String f, List<Object> args, Map<String, Object> kwargs, RandomState r) {
        Args p = new Args(f, args, kwargs, "a", "size", "replace", "p");
        if (p.has("p")) {
            throw new NumpyException("NotImplementedError", "np.random.choice with p= is not supported", "p");
        }
        Object a = p.required("a");
        boolean population = a instanceof Long || a instanceof NdArray x && x.ndim() == 0;
        NdArray pool = population ? null : p.array("a");
        long n = population ? Args.toLong(a, "a") : pool.shapeRef()[0];
        if (n <= 0) {
            throw new NumpyException("ValueError", population ? "a must be a positive integer unless no samples are "
                    + "taken" : "a cannot be empty unless no samples are taken", "a");
        }
        int[] shape = size(p);
        int count = shape == null ? 1 : Shapes.size(shape);
        long[] idx = new long[count];
        if (p.flag("replace", true)) {
            for (int i = 0; i < count; i++) {
                idx[i] = r.randint(0, n);
            }
        } else {
            if (count > n) {
                throw new NumpyException("ValueError", "Cannot take a larger sample than population when "
                        + "'replace=False'", "size");
            }
            long[] perm = r.permutation((int) n);
            System.arraycopy(perm, 0, idx, 0, count);
        }
        NdArray chosen = NdArray.of(NpType.INT64, shape == null ? new int[0] : shape, idx);
        if (pool != null) {
            Object picked = pool.getItem(chosen);
            return shape == null && picked instanceof NdArray s ? s.item() : picked;
        }
        return shape == null ? (Object) idx[0] : chosen;
    }
}
