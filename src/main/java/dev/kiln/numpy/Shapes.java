package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.List;

/** Shape arithmetic: element counts, C-order strides, broadcasting, and shapes as NumPy prints them. */
final class Shapes {
    /** The most elements an array may hold: what one Java array holds. */
    static final long MAX_SIZE = Integer.MAX_VALUE - 8;

    private Shapes() {}

    /** The element count, refusing negative dimensions and arrays larger than a Java array holds. */
    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new NumpyException("negative dimensions are not allowed");
            }
            n *= d;
            if (n > MAX_SIZE) {
                throw tooBig();
            }
        }
        return (int) n;
    }

    /** Checks a shape given as longs (Python ints) and narrows it. */
    static int[] of(List<Long> dims) {
        int[] shape = new int[dims.size()];
        boolean zero = false;
        for (int i = 0; i < shape.length; i++) {
            long d = dims.get(i);
            if (d < 0) {
                throw new NumpyException("negative dimensions are not allowed");
            }
            zero |= d == 0;
            shape[i] = (int) Math.min(d, Integer.MAX_VALUE);
            if (d > MAX_SIZE) {
                shape[i] = -1;
            }
        }
        if (!zero) {
            for (int d : shape) {
                if (d < 0) {
                    throw tooBig();
                }
            }
            size(shape);
        } else {
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], 0);
            }
        }
        return shape;
    }

    static NumpyException tooBig() {
        return new NumpyException("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum "
                + "possible size.");
    }

    /** Row-major strides in elements. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** The shape both broadcast to, or NumPy's error naming both shapes. */
    static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new NumpyException("operands could not be broadcast together with shapes " + compact(a) + " "
                        + compact(b) + " ");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * For each element of {@code to} in C order, the flat index of the element of an array of shape
     * {@code from} that broadcasts onto it; null when {@code from} equals {@code to}.
     */
    static int[] broadcastIndex(int[] from, int[] to) {
        if (java.util.Arrays.equals(from, to)) {
            return null;
        }
        int n = size(to);
        int[] index = new int[n];
        int[] fromStrides = strides(from);
        int[] eff = new int[to.length];
        int skip = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            eff[i + skip] = from[i] == 1 ? 0 : fromStrides[i];
        }
        int[] counter = new int[to.length];
        int at = 0;
        for (int k = 0; k < n; k++) {
            index[k] = at;
            for (int ax = to.length - 1; ax >= 0; ax--) {
                at += eff[ax];
                if (++counter[ax] < to[ax]) {
                    break;
                }
                at -= eff[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
        return index;
    }

    /** {@code (3,)}, {@code (2, 3)} or {@code ()}, as Python prints a shape tuple. */
    static String str(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** {@code (2,3)}: a shape as NumPy's messages write it, without spaces. */
    static String compact(int[] shape) {
        return str(shape).replace(" ", "");
    }

    /** The shape as a Python tuple of ints. */
    static List<Long> tuple(int[] shape) {
        List<Long> t = new ArrayList<>(shape.length);
        for (int d : shape) {
            t.add((long) d);
        }
        return List.copyOf(t);
    }

    /** An axis argument, negative ones counted from the end, checked against {@code ndim}. */
    static int axis(long axis, int ndim) {
        if (axis < -ndim || axis >= ndim) {
            throw new NumpyException("AxisError", "axis " + axis + " is out of bounds for array of dimension "
                    + ndim, "axis");
        }
        return (int) (axis < 0 ? axis + ndim : axis);
    }
}
