package dev.kiln.numpy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A NumPy array of one of the {@link NpType}s, or a NumPy scalar ({@code np.float32(3.5)}) when
 * {@link #isScalar()}: a shape {@code ()} value that prints and behaves as NumPy's scalar types do.
 *
 * <p>Storage: the elements in C (row-major) order, floats in a {@code double[]} (a float32 element is a
 * {@code double} holding a {@code float} value exactly), integers and booleans in a {@code long[]} (an int32
 * element always within the int range, a bool 0 or 1), so int64 values stay exact.
 *
 * <p>Unlike NumPy, indexing and slicing ({@link #getItem}) give copies, never views: writing to a slice of an
 * array does not change the array. Writes through {@link #setItem} and the in-place operators
 * ({@link Arith#inPlace}) do change it and bump its {@link #version()}.
 */
public final class NdArray {
    private final NpType dtype;
    private final int[] shape;
    private final boolean scalar;
    /** The elements of a float32 or float64 array; null otherwise. */
    final double[] doubles;
    /** The elements of an int32, int64 or bool array; null otherwise. */
    final long[] longs;
    private int version;

    private NdArray(NpType dtype, int[] shape, double[] doubles, long[] longs, boolean scalar) {
        this.dtype = dtype;
        this.shape = shape;
        this.doubles = doubles;
        this.longs = longs;
        this.scalar = scalar && shape.length == 0;
    }

    /** An array of {@code type} from values cast to it as {@code astype} does; {@code values} is taken over. */
    static NdArray of(NpType type, int[] shape, double[] values) {
        checkCount(shape, values.length);
        if (type.isFloat()) {
            if (type == NpType.FLOAT32) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) values[i];
                }
            }
            return new NdArray(type, shape.clone(), values, null, false);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = Casts.toLong(values[i], type);
        }
        return new NdArray(type, shape.clone(), null, l, false);
    }

    /** An array of {@code type} from integer values cast to it as {@code astype} does; {@code values} is taken over. */
    static NdArray of(NpType type, int[] shape, long[] values) {
        checkCount(shape, values.length);
        if (type.isFloat()) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = type == NpType.FLOAT32 ? (float) values[i] : (double) values[i];
            }
            return new NdArray(type, shape.clone(), d, null, false);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = Casts.wrap(values[i], type);
        }
        return new NdArray(type, shape.clone(), null, values, false);
    }

    /** A NumPy scalar of {@code type}. */
    static NdArray scalar(NpType type, double value) {
        return of(type, new int[0], new double[] {value}).asScalar();
    }

    /** A NumPy scalar of {@code type}. */
    static NdArray scalar(NpType type, long value) {
        return of(type, new int[0], new long[] {value}).asScalar();
    }

    private static void checkCount(int[] shape, int count) {
        if (Shapes.size(shape) != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + Shapes.size(shape)
                    + " elements, got " + count);
        }
    }

    /**
     * A fetched tensor as NumPy holds it: float32 values as they are, int32/int64/bool values (held exactly in
     * floats) converted; a shape of {@code []} gives a NumPy scalar, as {@code sess.run} of a scalar returns.
     */
    public static NdArray fromFloat32(float[] data, int[] shape, NpType type) {
        Objects.requireNonNull(data, "data");
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        NdArray a = of(Objects.requireNonNull(type, "type"), shape, d);
        return shape.length == 0 ? a.asScalar() : a;
    }

    /** The elements converted as {@code astype(float32)} converts them, in C order (a feed's data). */
    public float[] toFloat32() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles != null ? (float) doubles[i] : (float) longs[i];
        }
        return out;
    }

    /** The dtype. */
    public NpType dtype() {
        return dtype;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    int[] shapeRef() {
        return shape;
    }

    /** The number of dimensions. */
    public int ndim() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return doubles != null ? doubles.length : longs.length;
    }

    /** True for a NumPy scalar ({@code np.float32(3.5)}), false for arrays, 0-d ones included. */
    public boolean isScalar() {
        return scalar;
    }

    /** This value as a NumPy scalar when it is 0-d, else itself: what NumPy's operations return. */
    NdArray asScalar() {
        return shape.length == 0 && !scalar ? new NdArray(dtype, shape, doubles, longs, true) : this;
    }

    /** This value as an array (a 0-d one for a scalar), sharing the elements. */
    NdArray asArray() {
        return scalar ? new NdArray(dtype, shape, doubles, longs, false) : this;
    }

    /** The same elements (shared) in another shape of the same size. */
    NdArray reshaped(int[] newShape) {
        return new NdArray(dtype, newShape.clone(), doubles, longs, false);
    }

    /** A copy as {@code astype(t)}: floats to integers truncate, anything nonzero is True. */
    public NdArray astype(NpType t) {
        Objects.requireNonNull(t, "t");
        NdArray a = doubles != null ? of(t, shape, doubles.clone()) : of(t, shape, longs.clone());
        return scalar ? a.asScalar() : a;
    }

    /** This array when it has dtype {@code t} (not copied: for reading only), else {@code astype(t)}. */
    NdArray as(NpType t) {
        return dtype == t ? this : astype(t);
    }

    /** A copy of the elements, with the same dtype and shape. */
    NdArray copy() {
        return astype(dtype);
    }

    /** The element at {@code flatIndex} (C order) as a double. */
    public double doubleAt(int flatIndex) {
        return doubles != null ? doubles[flatIndex] : longs[flatIndex];
    }

    /** The element at {@code flatIndex} (C order) as a long; floats truncate as {@code astype(int64)} does. */
    public long longAt(int flatIndex) {
        return longs != null ? longs[flatIndex] : Casts.toLong(doubles[flatIndex], NpType.INT64);
    }

    /** {@code a.item()}: the only element as a Python value, a Long, Double or Boolean. */
    public Object item() {
        if (size() != 1) {
            throw new NumpyException("can only convert an array of size 1 to a Python scalar");
        }
        return pythonValue(0);
    }

    /** The element at {@code flatIndex} as a Python value: Long, Double or Boolean. */
    Object pythonValue(int flatIndex) {
        return switch (dtype) {
            case BOOL -> longs[flatIndex] != 0;
            case INT32, INT64 -> longs[flatIndex];
            case FLOAT32, FLOAT64 -> doubles[flatIndex];
        };
    }

    /** Incremented on every change in place, so a caller may cache a conversion of the elements. */
    public int version() {
        return version;
    }

    void changed() {
        version++;
    }

    /** {@code str(a)}: a scalar as Python prints it, an array as NumPy's default printing shows it. */
    public String str() {
        return ArrayPrinter.str(this);
    }

    /** {@code repr(a)}: {@code array([1., 2.], dtype=float32)}, {@code np.float32(3.5)}. */
    public String repr() {
        return ArrayPrinter.repr(this);
    }

    /**
     * An attribute: {@code shape} (a {@code List<Long>}, a Python tuple), {@code dtype} ({@link NpType}),
     * {@code size} and {@code ndim} (Long), {@code T} (the transpose).
     *
     * @throws NumpyException for any other name
     */
    public Object attribute(String name) {
        return Methods.attribute(this, name);
    }

    /** Calls the method {@code name} ({@code reshape}, {@code mean}, {@code astype}, ...); see {@link Methods}. */
    public Object callMethod(String name, List<Object> args, Map<String, Object> kwargs) {
        return Methods.call(this, name, args, kwargs);
    }

    /**
     * {@code a[index]}, a copy (NumPy gives views for slices; here writing to the result never changes this
     * array): a Long (negative counts from the end), a {@link Slice}, null (None, a new axis), an integer or
     * boolean NdArray, or a {@code java.util.List} for a Python tuple of these ({@code a[i, j]},
     * {@code a[:, 0]}); within a tuple a nested List is an integer list index. A Python list used as the whole
     * index ({@code a[[0, 2]]}) should be passed as an NdArray ({@code np.asarray} of it). Selecting one element
     * gives a NumPy scalar.
     */
    public Object getItem(Object index) {
        return Indexing.get(this, index);
    }

    /**
     * {@code a[index] = value}: {@code index} as for {@link #getItem}, {@code value} a Python scalar, list or an
     * NdArray broadcast to the selection and cast to this array's dtype as NumPy does (floats to an integer
     * array truncate).
     */
    public void setItem(Object index, Object value) {
        Indexing.set(this, index, value);
        changed();
    }

    @Override
    public String toString() {
        return repr();
    }
}
