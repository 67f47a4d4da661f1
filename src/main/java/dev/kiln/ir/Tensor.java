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
