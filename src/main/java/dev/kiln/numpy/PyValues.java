package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.List;

/**
 * Python values as arrays, as {@code np.array} builds them: a (nested) list becomes an array of its shape,
 * Python ints int64, floats float64, bools bool, the widest type present winning (NumPy scalars and arrays
 * inside the list count with their own dtypes); a ragged list is refused with NumPy's message.
 */
final class PyValues {
    private PyValues() {}

    /** {@code np.array(value, dtype=dtype)}, dtype null to infer it; always a new array, never a scalar. */
    static NdArray toArray(Object value, NpType dtype) {
        if (value instanceof NdArray a) {
            return (dtype == null ? a.copy() : a.astype(dtype)).asArray();
        }
        List<Integer> dims = new ArrayList<>();
        shapeOf(value, dims, 0);
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        NpType inferred = inferType(value, null);
        NpType type = dtype != null ? dtype : inferred == null ? NpType.FLOAT64 : inferred;
        int n = Shapes.size(shape);
        if (type.isFloat() || inferred != null && inferred.isFloat()) {
            double[] out = new double[n];
            flatten(value, out, null, new int[1]);
            return NdArray.of(NpType.FLOAT64, shape, out).astype(type);
        }
        long[] out = new long[n];
        flatten(value, null, out, new int[1]);
        return NdArray.of(type, shape, out);
    }

    /** The dimensions of a nested list; a list of unequal parts is an error. */
    private static void shapeOf(Object value, List<Integer> dims, int depth) {
        if (value instanceof NdArray a) {
            for (int d : a.shapeRef()) {
                dims.add(d);
            }
            return;
        }
        if (!(value instanceof List<?> list)) {
            scalarType(value);
            return;
        }
        dims.add(list.size());
        if (list.isEmpty()) {
            return;
        }
        List<Integer> first = new ArrayList<>();
        shapeOf(list.get(0), first, depth + 1);
        for (int i = 1; i < list.size(); i++) {
            List<Integer> other = new ArrayList<>();
            shapeOf(list.get(i), other, depth + 1);
            if (!other.equals(first)) {
                throw new NumpyException("setting an array element with a sequence. The requested array has an "
                        + "inhomogeneous shape after " + (depth + 1) + " dimensions. The detected shape was "
                        + Shapes.str(dims.stream().mapToInt(Integer::intValue).toArray()) + " + inhomogeneous part.");
            }
        }
        dims.addAll(first);
    }

    private static NpType inferType(Object value, NpType sofar) {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                sofar = inferType(item, sofar);
            }
            return sofar;
        }
        NpType t = value instanceof NdArray a ? a.dtype() : scalarType(value);
        return sofar == null ? t : Promotion.strong(sofar, t);
    }

    private static NpType scalarType(Object value) {
        if (value instanceof Boolean) {
            return NpType.BOOL;
        }
        if (value instanceof Long || value instanceof Integer) {
            return NpType.INT64;
        }
        if (value instanceof Double || value instanceof Float) {
            return NpType.FLOAT64;
        }
        throw NumpyException.type("cannot make an array element of a " + typeName(value));
    }

    private static void flatten(Object value, double[] d, long[] l, int[] at) {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                flatten(item, d, l, at);
            }
        } else if (value instanceof NdArray a) {
            for (int i = 0; i < a.size(); i++) {
                if (d != null) {
                    d[at[0]++] = a.doubleAt(i);
                } else {
                    l[at[0]++] = a.longAt(i);
                }
            }
        } else if (d != null) {
            d[at[0]++] = value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).doubleValue();
        } else {
            l[at[0]++] = value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue();
        }
    }

    /** Python's name of a value's type, for messages. */
    static String typeName(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof NdArray a) {
            return a.isScalar() ? "numpy." + a.dtype().numpyName() : "numpy.ndarray";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof List<?>) {
            return "list";
        }
        if (value instanceof NpType) {
            return "numpy.dtype";
        }
        return value.getClass().getSimpleName();
    }
}
