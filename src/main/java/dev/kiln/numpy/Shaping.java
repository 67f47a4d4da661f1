package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.List;

/** Changes of shape: reshape (one dimension may be -1), transpose, squeeze, concatenate, stack and their kin. */
final class Shaping {
    private Shaping() {}

    /** {@code a.reshape(dims)}: a copy in the new shape, one dimension -1 to be inferred. */
    static NdArray reshape(NdArray a, List<Object> dims) {
        List<Long> d = new ArrayList<>();
        for (Object o : dims) {
            d.add(Args.toLong(o, "shape"));
        }
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < d.size(); i++) {
            if (d.get(i) == -1) {
                if (unknown >= 0) {
                    throw new NumpyException("can only specify one unknown dimension");
                }
                unknown = i;
            } else if (d.get(i) < 0) {
                throw new NumpyException("negative dimensions not allowed");
            } else {
                known *= d.get(i);
            }
        }
        if (unknown >= 0 && known != 0 && a.size() % known == 0) {
            d.set(unknown, a.size() / known);
        }
        long total = 1;
        for (long x : d) {
            total *= x;
        }
        if (total != a.size() || d.contains(-1L)) {
            throw new NumpyException("cannot reshape array of size " + a.size() + " into shape "
                    + shapeText(d));
        }
        return a.copy().asArray().reshaped(Shapes.of(d));
    }

    private static String shapeText(List<Long> d) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < d.size(); i++) {
            b.append(i > 0 ? "," : "").append(d.get(i) == -1 ? "newaxis" : d.get(i).toString());
        }
        return b.append(d.size() == 1 ? ",)" : ")").toString();
    }

    /** {@code a.transpose(axes)}, axes null to reverse them. */
    static NdArray transpose(NdArray a, int[] axes) {
        int nd = a.ndim();
        int[] perm = new int[nd];
        if (axes == null) {
            for (int i = 0; i < nd; i++) {
                perm[i] = nd - 1 - i;
            }
        } else {
            if (axes.length != nd) {
                throw new NumpyException("axes don't match array");
            }
            boolean[] seen = new boolean[nd];
            for (int i = 0; i < nd; i++) {
                perm[i] = Shapes.axis(axes[i], nd);
                if (seen[perm[i]]) {
                    throw new NumpyException("repeated axis in transpose");
                }
                seen[perm[i]] = true;
            }
        }
        int[] shape = a.shapeRef();
        int[] strides = Shapes.strides(shape);
        int[] outShape = new int[nd];
        int[] outStrides = new int[nd];
        for (int i = 0; i < nd; i++) {
            outShape[i] = shape[perm[i]];
            outStrides[i] = strides[perm[i]];
        }
        int n = a.size();
        int[] from = new int[n];
        int[] counter = new int[nd];
        int at = 0;
        for (int k = 0; k < n; k++) {
            from[k] = at;
            for (int ax = nd - 1; ax >= 0; ax--) {
                at += outStrides[ax];
                if (++counter[ax] < outShape[ax]) {
                    break;
                }
                at -= outStrides[ax] * outShape[ax];
                counter[ax] = 0;
            }
        }
        return gather(a, from, outShape);
    }

    /** The elements at {@code from}, in {@code shape}. */
    static NdArray gather(NdArray a, int[] from, int[] shape) {
        if (a.doubles != null) {
            double[] v = new double[from.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = a.doubles[from[k]];
            }
            return NdArray.of(a.dtype(), shape, v);
        }
        long[] v = new long[from.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = a.longs[from[k]];
        }
        return NdArray.of(a.dtype(), shape, v);
    }

    /** {@code np.concatenate(arrays, axis)}; the dtype the arrays promote to. */
    static NdArray concatenate(List<NdArray> arrays, int axisArg) {
        if (arrays.isEmpty()) {
            throw new NumpyException("need at least one array to concatenate");
        }
        NdArray first = arrays.get(0);
        if (first.ndim() == 0) {
            throw new NumpyException("zero-dimensional arrays cannot be concatenated");
        }
        int axis = Shapes.axis(axisArg, first.ndim());
        NpType type = first.dtype();
        int total = 0;
        for (int i = 0; i < arrays.size(); i++) {
            NdArray a = arrays.get(i);
            if (a.ndim() != first.ndim()) {
                throw new NumpyException("all the input array dimensions except for the concatenation axis must "
                        + "match exactly, but along dimension 0, the array at index 0 has " + first.ndim()
                        + " dimension(s) and the array at index " + i + " has " + a.ndim() + " dimension(s)");
            }
            for (int d = 0; d < a.ndim(); d++) {
                if (d != axis && a.shapeRef()[d] != first.shapeRef()[d]) {
                    throw new NumpyException("all the input array dimensions except for the concatenation axis must "
                            + "match exactly, but along dimension " + d + ", the array at index 0 has size "
                            + first.shapeRef()[d] + " and the array at index " + i + " has size " + a.shapeRef()[d]);
                }
            }
            type = Promotion.strong(type, a.dtype());
            total += a.shapeRef()[axis];
        }
        int[] shape = first.shape();
        shape[axis] = total;
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int n = Shapes.size(shape);
        double[] dv = type.isFloat() ? new double[n] : null;
        long[] lv = type.isFloat() ? null : new long[n];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (NdArray a : arrays) {
                NdArray c = a.as(type);
                int chunk = a.size() / Math.max(outer, 1);
                if (dv != null) {
                    System.arraycopy(c.doubles, o * chunk, dv, at, chunk);
                } else {
                    System.arraycopy(c.longs, o * chunk, lv, at, chunk);
                }
                at += chunk;
            }
        }
        return dv != null ? NdArray.of(type, shape, dv) : NdArray.of(type, shape, lv);
    }

    /** {@code np.stack(arrays, axis)}: all of one shape, joined along a new axis. */
    static NdArray stack(List<NdArray> arrays, int axisArg) {
        if (arrays.isEmpty()) {
            throw new NumpyException("need at least one array to stack");
        }
        int[] shape = arrays.get(0).shapeRef();
        int axis = Shapes.axis(axisArg, shape.length + 1);
        List<NdArray> expanded = new ArrayList<>();
        for (NdArray a : arrays) {
            if (!java.util.Arrays.equals(a.shapeRef(), shape)) {
                throw new NumpyException("all input arrays must have the same shape");
            }
            expanded.add(expandDims(a, axis));
        }
        return concatenate(expanded, axis);
    }

    /** {@code np.expand_dims(a, axis)}. */
    static NdArray expandDims(NdArray a, int axisArg) {
        int axis = Shapes.axis(axisArg, a.ndim() + 1);
        int[] s = new int[a.ndim() + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            s[i] = i == axis ? 1 : a.shapeRef()[j++];
        }
        return a.asArray().reshaped(s);
    }

    /** {@code np.atleast_2d} as vstack needs it: a vector becomes one row. */
    static NdArray atLeast2d(NdArray a) {
        return a.ndim() >= 2 ? a : a.asArray().reshaped(a.ndim() == 0 ? new int[] {1, 1} : new int[] {1, a.size()});
    }

    /** {@code a.squeeze(axis)}: without the size-1 axes (or only the given one). */
    static NdArray squeeze(NdArray a, Integer axis) {
        List<Integer> dims = new ArrayList<>();
        int ax = axis == null ? -1 : Shapes.axis(axis, a.ndim());
        if (ax >= 0 && a.shapeRef()[ax] != 1) {
            throw new NumpyException("cannot select an axis to squeeze out which has size not equal to one");
        }
        for (int i = 0; i < a.ndim(); i++) {
            if (a.shapeRef()[i] != 1 || ax >= 0 && i != ax) {
                dims.add(a.shapeRef()[i]);
            }
        }
        return a.copy().asArray().reshaped(dims.stream().mapToInt(Integer::intValue).toArray());
    }
}
