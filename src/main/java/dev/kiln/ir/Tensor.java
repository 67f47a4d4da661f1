package dev.kiln.ir;

import java.util.Arrays;

/** A concrete value: a known shape and its elements in row-major order. The array is shared, not copied. */
public record Tensor(Shape shape, float[] data) {
    public Tensor {
        if (!shape.isKnown()) {
            throw new IllegalArgumentException("a tensor needs a known shape, got " + shape);
        }
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size()
                    + " elements, got " + data.length);
        }
    }

    public static Tensor scalar(float v) {
        return new Tensor(Shape.SCALAR, new float[] {v});
    }

    /** The largest tensor a single value may be spread over: a typo in a shape should not take the heap. */
    private static final int MAX_FILLED = 1 << 24;

    /**
     * A tensor of {@code shape} holding {@code data} in row-major order (copied), or, when {@code data} has one
     * value, that value everywhere (as {@code tf.constant(5.0, shape=...)}); a {@link KilnException} when the
     * counts disagree or the shape is not known or too large to fill.
     */
    public static Tensor laidOut(float[] data, Shape shape) {
        if (!shape.isKnown()) {
            throw new KilnException("shape " + shape + " is not fully known");
        }
        long size = 1;
        for (int d : shape.dims()) {
            size = Math.min(size * d, Integer.MAX_VALUE + 1L); // capped, so it cannot overflow
        }
        if (data.length == 1 && size != 1) {
            if (size > MAX_FILLED) {
                throw new KilnException("shape " + shape + " is too large");
            }
            float[] filled = new float[(int) size];
            Arrays.fill(filled, data[0]);
            return new Tensor(shape, filled);
        }
        if (data.length != size) {
            throw new KilnException("cannot reshape " + data.length + " values into shape " + shape);
        }
        return new Tensor(shape, data.clone());
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    public int size() {
        return data.length;
    }

    /** The only element of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() of a tensor of shape " + shape);
        }
        return data[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && shape.equals(t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        if (data.length <= 8) {
            return "Tensor" + shape + Arrays.toString(data);
        }
        return "Tensor" + shape + "[" + data[0] + ", " + data[1] + ", ..., " + data[data.length - 1] + "]";
    }
}
