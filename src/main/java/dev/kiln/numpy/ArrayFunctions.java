package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The module functions that make, reshape, join, compare and convert arrays ({@code np.zeros},
 * {@code np.concatenate}, {@code np.where}, {@code np.float32}, ...), with their parameters as NumPy names them.
 */
final class ArrayFunctions {
    private ArrayFunctions() {}

    static Object call(String name, List<Object> a, Map<String, Object> kw) {
        switch (name) {
            case "zeros", "ones", "empty": {
                Args p = new Args(name, a, kw, "shape", "dtype", "order");
                NpType t = p.has("dtype") ? p.dtype("dtype") : NpType.FLOAT64;
                return Creation.filled(p.shape("shape"), t, name.equals("ones") ? 1L : 0L);
            }
            case "full": {
                Args p = new Args(name, a, kw, "shape", "fill_value", "dtype", "order");
                Object v = p.required("fill_value");
                NpType t = p.has("dtype") ? p.dtype("dtype") : Creation.typeOf(v);
                return Creation.filled(p.shape("shape"), t, v);
            }
            case "zeros_like", "ones_like", "empty_like": {
                Args p = new Args(name, a, kw, "a", "dtype", "order", "subok", "shape");
                NdArray x = p.array("a");
                NpType t = p.has("dtype") ? p.dtype("dtype") : x.dtype();
                return Creation.filled(x.shapeRef(), t, name.equals("ones_like") ? 1L : 0L);
            }
            case "full_like": {
                Args p = new Args(name, a, kw, "a", "fill_value", "dtype", "order", "subok", "shape");
                NdArray x = p.array("a");
                NpType t = p.has("dtype") ? p.dtype("dtype") : x.dtype();
                return Creation.filled(x.shapeRef(), t, p.required("fill_value"));
            }
            case "arange": {
                Args p = new Args(name, a, kw, "start", "stop", "step", "dtype");
                Object start = p.required("start");
                Object stop = p.get("stop");
                if (!p.has("stop")) {
                    stop = start;
                    start = 0L;
                }
                return Creation.arange(start, stop, p.has("step") ? p.get("step") : (Object) 1L, p.dtype("dtype"));
            }
            case "linspace": {
                Args p = new Args(name, a, kw, "start", "stop", "num", "endpoint", "retstep", "dtype");
                return Creation.linspace(p.real("start", 0), p.real("stop", 0), (int) p.integer("num", 50),
                        p.flag("endpoint", true), p.dtype("dtype"));
            }
            case "eye", "identity": {
                Args p = name.equals("eye") ? new Args(name, a, kw, "N", "M", "k", "dtype")
                        : new Args(name, a, kw, "n", "dtype");
                int n = (int) Args.toLong(p.required(name.equals("eye") ? "N" : "n"), "N");
                int m = name.equals("eye") && p.has("M") ? (int) p.integer("M", n) : n;
                int k = name.equals("eye") ? (int) p.integer("k", 0) : 0;
                Shapes.of(List.of((long) n, (long) m));
                return Creation.eye(n, m, k, p.has("dtype") ? p.dtype("dtype") : NpType.FLOAT64);
            }
            case "array", "asarray", "copy": {
                Args p = new Args(name, a, kw, "object", "dtype", "copy", "order", "ndmin");
                Object v = p.required("object");
                NpType t = p.dtype("dtype");
                if (name.equals("asarray") && v instanceof NdArray x && !x.isScalar() && (t == null || t == x.dtype())) {
                    return x;
                }
                return PyValues.toArray(v, t);
            }
            case "float32", "float64", "int32", "int64", "bool_": {
                Args p = new Args(name, a, kw, "x");
                return Creation.convert(NpType.byName(name), p.get("x"));
            }
            default:
                return shapes(name, a, kw);
        }
    }

    private static Object shapes(String name, List<Object> a, Map<String, Object> kw) {
        switch (name) {
            case "reshape": {
                Args p = new Args(name, a, kw, "a", "shape", "order");
                Object s = p.required("shape");
                return Shaping.reshape(p.array("a"), s instanceof List<?> l ? new ArrayList<>(l) : List.of(s));
            }
            case "transpose": {
                Args p = new Args(name, a, kw, "a", "axes");
                int[] axes = p.has("axes") ? ((List<?>) p.get("axes")).stream()
                        .mapToInt(o -> (int) Args.toLong(o, "axes")).toArray() : null;
                return Shaping.transpose(p.array("a"), axes);
            }
            case "squeeze": {
                Args p = new Args(name, a, kw, "a", "axis");
                return Shaping.squeeze(p.array("a"), p.axis("axis"));
            }
            case "expand_dims": {
                Args p = new Args(name, a, kw, "a", "axis");
                return Shaping.expandDims(p.array("a").copy(), (int) p.integer("axis", 0));
            }
            case "concatenate", "stack": {
                Args p = new Args(name, a, kw, "arrays", "axis");
                List<NdArray> arrays = Functions.arrays(p, "arrays");
                if (name.equals("concatenate") && !p.has("axis") && kw != null && kw.containsKey("axis")) {
                    List<NdArray> flat = new ArrayList<>();
                    for (NdArray x : arrays) {
                        flat.add(x.asArray().reshaped(new int[] {x.size()}));
                    }
                    return Shaping.concatenate(flat, 0);
                }
                int axis = (int) p.integer("axis", 0);
                return name.equals("stack") ? Shaping.stack(arrays, axis) : Shaping.concatenate(arrays, axis);
            }
            case "vstack", "hstack": {
                Args p = new Args(name, a, kw, "tup");
                List<NdArray> arrays = new ArrayList<>();
                boolean allVectors = true;
                for (NdArray x : Functions.arrays(p, "tup")) {
                    allVectors &= x.ndim() <= 1;
                    arrays.add(name.equals("vstack") ? Shaping.atLeast2d(x)
                            : x.ndim() == 0 ? x.asArray().reshaped(new int[] {1}) : x);
                }
                return Shaping.concatenate(arrays, name.equals("hstack") && !allVectors ? 1 : 0);
            }
            default:
                return others(name, a, kw);
        }
    }

    private static Object others(String name, List<Object> a, Map<String, Object> kw) {
        switch (name) {
            case "dot", "matmul": {
                Args p = new Args(name, a, kw, "a", "b");
                return name.equals("dot") ? LinAlg.dot(p.required("a"), p.required("b"))
                        : LinAlg.matmul(p.array("a"), p.array("b"));
            }
            case "clip": {
                Args p = new Args(name, a, kw, "a", "a_min", "a_max");
                return Elementwise.clip(p.array("a"), p.get("a_min"), p.get("a_max"));
            }
            case "where": {
                Args p = new Args(name, a, kw, "condition", "x", "y");
                if (!p.has("x") && !p.has("y")) {
                    return nonzero(p.array("condition"));
                }
                return Elementwise.where(p.required("condition"), p.required("x"), p.required("y"));
            }
            case "round", "around": {
                Args p = new Args(name, a, kw, "a", "decimals");
                return Elementwise.round(p.array("a"), (int) p.integer("decimals", 0));
            }
            case "allclose": {
                Args p = new Args(name, a, kw, "a", "b", "rtol", "atol", "equal_nan");
                return allclose(p.array("a"), p.array("b"), p.real("rtol", 1e-5), p.real("atol", 1e-8),
                        p.flag("equal_nan", false));
            }
            case "argsort", "sort": {
                Args p = new Args(name, a, kw, "a", "axis", "kind");
                Integer axis = kw != null && kw.containsKey("axis") || a.size() > 1 ? p.axis("axis") : Integer.valueOf(-1);
                NdArray x = p.array("a");
                return name.equals("sort") ? Sorting.sort(x, axis) : Sorting.argsort(x, axis);
            }
            case "unique": {
                Args p = new Args(name, a, kw, "ar");
                return Sorting.unique(p.array("ar"));
            }
            case "count_nonzero": {
                Args p = new Args(name, a, kw, "a", "axis");
                NdArray x = p.array("a").astype(NpType.BOOL);
                return Reductions.reduce("sum", x, p.axis("axis"), 0);
            }
            case "shape", "size", "ndim": {
                Args p = new Args(name, a, kw, "a");
                return p.array("a").attribute(name);
            }
            default:
                throw new NumpyException("AttributeError", "module 'numpy' has no attribute '" + name + "'", null);
        }
    }

    /** {@code np.where(cond)}: a tuple of the True positions' indices, one int64 array per axis. */
    private static List<Object> nonzero(NdArray c) {
        NdArray m = c.astype(NpType.BOOL);
        List<Object> out = new ArrayList<>();
        if (m.ndim() == 0) {
            m = m.asArray().reshaped(new int[] {1});
        }
        int count = 0;
        for (long v : m.longs) {
            count += (int) v;
        }
        int[] strides = Shapes.strides(m.shapeRef());
        for (int d = 0; d < m.ndim(); d++) {
            long[] idx = new long[count];
            int k = 0;
            for (int flat = 0; flat < m.longs.length; flat++) {
                if (m.longs[flat] != 0) {
                    idx[k++] = flat / strides[d] % m.shapeRef()[d];
                }
            }
            out.add(NdArray.of(NpType.INT64, new int[] {count}, idx));
        }
        return List.copyOf(out);
    }

    /** {@code np.allclose}: every {@code |a - b| <= atol + rtol * |b|}, broadcast, in float64. */
    private static boolean allclose(NdArray a, NdArray b, double rtol, double atol, boolean equalNan) {
        int[] shape = Shapes.broadcast(a.shapeRef(), b.shapeRef());
        int[] ia = Shapes.broadcastIndex(a.shapeRef(), shape);
        int[] ib = Shapes.broadcastIndex(b.shapeRef(), shape);
        for (int k = 0; k < Shapes.size(shape); k++) {
            double x = a.doubleAt(ia == null ? k : ia[k]);
            double y = b.doubleAt(ib == null ? k : ib[k]);
            boolean close = x == y || Math.abs(x - y) <= atol + rtol * Math.abs(y)
                    || equalNan && Double.isNaN(x) && Double.isNaN(y);
            if (!close) {
                return false;
            }
        }
        return true;
    }
}
