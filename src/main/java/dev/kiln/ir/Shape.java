package dev.kiln.ir;

import java.util.Arrays;

/**
 * The static shape of a tensor: a list of dimensions, each a size of at least 1 or {@link #UNKNOWN}
 * (a {@code None} dimension, bound to a number when the graph is run or compiled). Immutable.
 */
public final class Shape {
    /** Marks a dimension whose size is not known until the graph is bound. */
    public static final int UNKNOWN = -1;
    /** The shape of a scalar. */
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape from its dimensions; each must be at least 1, or {@link #UNKNOWN}. */
    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 1 && d != UNKNOWN) {
                throw new KilnException("bad dimension " + d + " in shape " + Arrays.toString(dims)
                        + ": dimensions must be at least 1 (or None)");
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** True when every dimension is known. */
    public boolean isKnown() {
        for (int d : dims) {
            if (d == UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements; the shape must be known. */
    public int size() {
        long n = 1;
        for (int d : dims) {
            if (d == UNKNOWN) {
                throw new IllegalStateException("size of a shape with an unknown dimension: " + this);
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new KilnException("tensor of shape " + this + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides of this (known) shape. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** This shape with every unknown dimension replaced by {@code size}. */
    public Shape bindUnknown(int size) {
        int[] d = dims.clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == UNKNOWN) {
                d[i] = size;
            }
        }
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [64,1000]}, with {@code ?} for an unknown dimension. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(dims[i] == UNKNOWN ? "?" : Integer.toString(dims[i]));
        }
        return b.append(']').toString();
    }
}
