package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code a[index]} and {@code a[index] = value} as NumPy resolves an index: integers (negative from the end)
 * drop their axis, slices keep it, None adds one, integer arrays and lists (fancy indices, broadcast together)
 * put their broadcast shape where they stand, or first when they are not adjacent, boolean arrays select the
 * True positions of the axes they cover. An index resolves to a shape and, for each element of it in C order,
 * the flat position it comes from, which reading copies and writing fills.
 */
final class Indexing {
    private Indexing() {}

    /** The shape an index selects and the flat source position of each selected element. */
    private record Selection(int[] shape, int[] offsets) {}

    /** One output axis (or the group of the fancy ones): the offset each of its positions adds. */
    private record Axis(int[] offsets, int[] dims) {}

    static Object get(NdArray a, Object index) {
        if (index instanceof Slice sl && a.ndim() > 0 && (sl.step() == null || sl.step() == 1)) {
            return rows(a, sl.resolve(a.shapeRef()[0]));
        }
        Selection s = select(a, index);
        NdArray out;
        if (a.doubles != null) {
            double[] v = new double[s.offsets.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = a.doubles[s.offsets[k]];
            }
            out = NdArray.of(a.dtype(), s.shape, v);
        } else {
            long[] v = new long[s.offsets.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = a.longs[s.offsets[k]];
            }
            out = NdArray.of(a.dtype(), s.shape, v);
        }
        return s.shape.length == 0 ? out.asScalar() : out;
    }

    /** {@code a[start:stop]}: whole rows, one block of the elements (the common minibatch slice). */
    private static NdArray rows(NdArray a, Slice.Range r) {
        int[] shape = a.shape();
        int row = shape[0] == 0 ? 0 : a.size() / shape[0];
        shape[0] = r.count();
        int from = (int) r.start() * row;
        int n = r.count() * row;
        return a.doubles != null ? NdArray.of(a.dtype(), shape, java.util.Arrays.copyOfRange(a.doubles, from, from + n))
                : NdArray.of(a.dtype(), shape, java.util.Arrays.copyOfRange(a.longs, from, from + n));
    }

    static void set(NdArray a, Object index, Object value) {
        Selection s = select(a, index);
        write(a, s, Operand.of(value).array());
    }

    /** Every element of {@code target} set from {@code values}, broadcast and cast to the target. */
    static void fill(NdArray target, NdArray values) {
        int[] all = new int[target.size()];
        Arrays.setAll(all, i -> i);
        write(target, new Selection(target.shapeRef(), all), values);
    }

    private static void write(NdArray a, Selection s, NdArray value) {
        NdArray v = value == a ? a.copy() : value.as(a.dtype());
        int[] vShape = v.shapeRef();
        int lead = 0;
        while (vShape.length - lead > s.shape.length && vShape[lead] == 1) {
            lead++;
        }
        vShape = Arrays.copyOfRange(vShape, lead, vShape.length);
        boolean fits = vShape.length <= s.shape.length;
        for (int i = 0; fits && i < vShape.length; i++) {
            int d = s.shape[s.shape.length - vShape.length + i];
            fits = vShape[i] == d || vShape[i] == 1;
        }
        if (!fits) {
            throw new NumpyException("could not broadcast input array from shape " + Shapes.str(v.shapeRef())
                    + " into shape " + Shapes.str(s.shape));
        }
        int[] from = Shapes.broadcastIndex(vShape, s.shape);
        for (int k = 0; k < s.offsets.length; k++) {
            int src = from == null ? k : from[k];
            if (a.doubles != null) {
                a.doubles[s.offsets[k]] = v.doubles[src];
            } else {
                a.longs[s.offsets[k]] = v.longs[src];
            }
        }
    }

    private static Selection select(NdArray a, Object index) {
        int[] shape = a.shapeRef();
        int[] strides = Shapes.strides(shape);
        List<Object> items = expand(a, index instanceof List<?> l && !(index instanceof NdArray) ? l : List.of(
                index == null ? Void.class : index));
        boolean fancy = items.stream().anyMatch(NdArray.class::isInstance);
        List<Axis> axes = new ArrayList<>();
        List<NdArray> group = new ArrayList<>();
        List<Integer> groupAxes = new ArrayList<>();
        int groupAt = -1;
        boolean adjacent = true;
        int lastAdvanced = -2;
        int axis = 0;
        int base = 0;
        for (int pos = 0; pos < items.size(); pos++) {
            Object item = items.get(pos);
            if (item == Void.class) {
                axes.add(new Axis(new int[] {0}, new int[] {1}));
            } else if (item instanceof Slice sl) {
                Slice.Range r = sl.resolve(shape[axis]);
                int[] offs = new int[r.count()];
                for (int i = 0; i < offs.length; i++) {
                    offs[i] = (int) (r.start() + i * r.step()) * strides[axis];
                }
                axes.add(new Axis(offs, new int[] {offs.length}));
                axis++;
            } else if (item instanceof Long l && !fancy) {
                base += bound(l, shape[axis], axis) * strides[axis];
                axis++;
            } else {
                NdArray ix = item instanceof Long l ? NdArray.scalar(NpType.INT64, l) : (NdArray) item;
                adjacent &= lastAdvanced < 0 || lastAdvanced == pos - 1;
                lastAdvanced = pos;
                if (groupAt < 0) {
                    groupAt = axes.size();
                    axes.add(null);
                }
                group.add(ix);
                groupAxes.add(axis++);
            }
        }
        if (groupAt >= 0) {
            Axis g = fancyAxis(group, groupAxes, shape, strides);
            if (adjacent) {
                axes.set(groupAt, g);
            } else {
                axes.remove(groupAt);
                axes.add(0, g);
            }
        }
        return enumerate(axes, base);
    }

    /** The index as a list of Longs, Slices, Void.class (None) and integer arrays, one per axis or new axis. */
    private static List<Object> expand(NdArray a, List<?> index) {
        List<Object> items = new ArrayList<>();
        int consumed = 0;
        for (Object raw : index) {
            Object item = raw == null ? Void.class : raw;
            if (item instanceof Integer i) {
                item = (long) i;
            }
            if (item instanceof List<?> list) {
                item = PyValues.toArray(list, null);
                if (((NdArray) item).size() == 0) {
                    item = ((NdArray) item).astype(NpType.INT64);
                }
            }
            if (item instanceof NdArray arr && arr.ndim() == 0 && arr.dtype().isInteger()) {
                item = arr.longs[0];
            }
            if (item instanceof NdArray arr && arr.dtype() == NpType.BOOL) {
                items.addAll(mask(a, arr, consumed));
                consumed += arr.ndim();
                continue;
            }
            if (item instanceof NdArray arr && arr.dtype().isFloat() || !(item instanceof Long || item instanceof Slice
                    || item instanceof NdArray || item == Void.class)) {
                throw NumpyException.index("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                        + "and integer or boolean arrays are valid indices");
            }
            items.add(item);
            consumed += item == Void.class ? 0 : 1;
        }
        if (consumed > a.ndim()) {
            throw NumpyException.index("too many indices for array: array is " + a.ndim() + "-dimensional, but "
                    + consumed + " were indexed");
        }
        for (int i = consumed; i < a.ndim(); i++) {
            items.add(Slice.ALL);
        }
        return items;
    }

    /** A boolean index over the axes from {@code first}: one integer array per axis, its True positions. */
    private static List<NdArray> mask(NdArray a, NdArray m, int first) {
        int[] shape = a.shapeRef();
        int[] ms = m.shapeRef();
        for (int i = 0; i < ms.length; i++) {
            if (first + i >= shape.length || ms[i] != shape[first + i]) {
                int size = first + i < shape.length ? shape[first + i] : 0;
                throw NumpyException.index("boolean index did not match indexed array along axis " + (first + i)
                        + "; size of axis is " + size + " but size of corresponding boolean axis is " + ms[i]);
            }
        }
        int count = 0;
        for (long v : m.longs) {
            count += (int) v;
        }
        long[][] coords = new long[ms.length][count];
        int[] mStrides = Shapes.strides(ms);
        int k = 0;
        for (int flat = 0; flat < m.longs.length; flat++) {
            if (m.longs[flat] != 0) {
                for (int d = 0; d < ms.length; d++) {
                    coords[d][k] = flat / mStrides[d] % ms[d];
                }
                k++;
            }
        }
        List<NdArray> out = new ArrayList<>();
        for (long[] c : coords) {
            out.add(NdArray.of(NpType.INT64, new int[] {count}, c));
        }
        return out;
    }

    private static Axis fancyAxis(List<NdArray> group, List<Integer> groupAxes, int[] shape, int[] strides) {
        int[] b = new int[0];
        for (NdArray ix : group) {
            b = broadcastIndices(b, ix.shapeRef(), group);
        }
        int n = Shapes.size(b);
        int[] offs = new int[n];
        for (int g = 0; g < group.size(); g++) {
            NdArray ix = group.get(g);
            int ax = groupAxes.get(g);
            int[] from = Shapes.broadcastIndex(ix.shapeRef(), b);
            for (int k = 0; k < n; k++) {
                offs[k] += bound(ix.longs[from == null ? k : from[k]], shape[ax], ax) * strides[ax];
            }
        }
        return new Axis(offs, b);
    }

    private static int[] broadcastIndices(int[] a, int[] b, List<NdArray> group) {
        try {
            return Shapes.broadcast(a, b);
        } catch (NumpyException e) {
            StringBuilder shapes = new StringBuilder();
            for (NdArray ix : group) {
                shapes.append(Shapes.str(ix.shapeRef())).append(' ');
            }
            throw NumpyException.index("shape mismatch: indexing arrays could not be broadcast together with shapes "
                    + shapes);
        }
    }

    private static int bound(long i, int size, int axis) {
        if (i < -size || i >= size) {
            throw NumpyException.index("index " + i + " is out of bounds for axis " + axis + " with size " + size);
        }
        return (int) (i < 0 ? i + size : i);
    }

    private static Selection enumerate(List<Axis> axes, int base) {
        List<Integer> dims = new ArrayList<>();
        long total = 1;
        for (Axis ax : axes) {
            for (int d : ax.dims()) {
                dims.add(d);
            }
            total *= ax.offsets().length;
            if (total > Shapes.MAX_SIZE) {
                throw Shapes.tooBig();
            }
        }
        int[] offsets = new int[(int) total];
        int[] counter = new int[axes.size()];
        int at = base;
        for (Axis ax : axes) {
            at += ax.offsets().length > 0 ? ax.offsets()[0] : 0;
        }
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = at;
            for (int i = axes.size() - 1; i >= 0; i--) {
                int[] o = axes.get(i).offsets();
                at -= o[counter[i]];
                if (++counter[i] < o.length) {
                    at += o[counter[i]];
                    break;
                }
                counter[i] = 0;
                at += o[0];
            }
        }
        return new Selection(dims.stream().mapToInt(Integer::intValue).toArray(), offsets);
    }
}
