package dev.kiln.numpy;

import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code sort}, {@code argsort} and {@code unique}, along one axis (or the flattened array for axis None), NaNs
 * last as in NumPy. The sort is stable; NumPy's default quicksort is not, so {@code argsort} may order equal
 * elements differently from NumPy's (it agrees for arrays of at most 16 elements, which NumPy sorts by
 * insertion).
 */
final class Sorting {
    private Sorting() {}

    static NdArray argsort(NdArray a, Integer axis) {
        NdArray x = axis == null ? a.asArray().reshaped(new int[] {a.size()}) : a.asArray();
        int ax = Shapes.axis(axis == null ? 0 : axis, Math.max(x.ndim(), 1));
        if (x.ndim() == 0) {
            return NdArray.of(NpType.INT64, new int[0], new long[] {0});
        }
        int[] shape = x.shapeRef();
        int[] strides = Shapes.strides(shape);
        int n = shape[ax];
        int stride = strides[ax];
        long[] out = new long[x.size()];
        for (int base = 0; base < x.size(); base++) {
            if (base / stride % n != 0) {
                continue;
            }
            final int b = base;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Comparator<Integer> cmp = x.doubles != null
                    ? (i, j) -> compareWithNaNLast(x.doubles[b + i * stride], x.doubles[b + j * stride])
                    : (i, j) -> Long.compare(x.longs[b + i * stride], x.longs[b + j * stride]);
            Arrays.sort(order, cmp);
            for (int i = 0; i < n; i++) {
                out[b + i * stride] = order[i];
            }
        }
        return NdArray.of(NpType.INT64, shape, out);
    }

    static NdArray sort(NdArray a, Integer axis) {
        NdArray x = axis == null ? a.asArray().reshaped(new int[] {a.size()}) : a.asArray();
        NdArray order = argsort(x, axis == null ? 0 : axis);
        int ax = Shapes.axis(axis == null ? 0 : axis, x.ndim());
        int stride = Shapes.strides(x.shapeRef())[ax];
        int n = x.shapeRef()[ax];
        int[] from = new int[x.size()];
        for (int k = 0; k < from.length; k++) {
            int i = k / stride % n;
            from[k] = k - i * stride + (int) order.longs[k] * stride;
        }
        return Shaping.gather(x, from, x.shapeRef());
    }

    /** {@code np.unique(a)}: the sorted distinct values, flattened. */
    static NdArray unique(NdArray a) {
        NdArray s = sort(a, null);
        int n = s.size();
        int[] keep = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            boolean same = i > 0 && (s.doubles != null ? Double.compare(s.doubles[i], s.doubles[i - 1]) == 0
                    : s.longs[i] == s.longs[i - 1]);
            if (!same) {
                keep[count++] = i;
            }
        }
        return Shaping.gather(s, Arrays.copyOf(keep, count), new int[] {count});
    }

    private static int compareWithNaNLast(double x, double y) {
        boolean nx = Double.isNaN(x);
        boolean ny = Double.isNaN(y);
        if (nx || ny) {
            return nx == ny ? 0 : nx ? 1 : -1;
        }
        return x < y ? -1 : x > y ? 1 : 0;
    }
}
