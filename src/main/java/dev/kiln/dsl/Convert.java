package dev.kiln.dsl;

import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import dev.kiln.ir.Tensor;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NpType;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns script values into what {@link Tf} takes: tensors (numbers and nested lists become constants,
 * as TensorFlow converts them), floats, shapes, axis lists and flags. Every complaint is a
 * {@link ScriptException} at the position of the value.
 */
final class Convert {
    private static final int MAX_RANK = 32;
    private static final int MAX_ELEMENTS = 1 << 24;

    private final Source src;
    private final Tf tf;

    Convert(Source src, Tf tf) {
        this.src = src;
        this.tf = tf;
    }

    /** {@code v} as a tensor: itself, or a constant from a number or a nested list of numbers. */
    Node node(Object v, SourcePos pos, String what) {
        if (v instanceof Node n) {
            return n;
        }
        if (Values.isNumber(v)) {
            return tf.constant(toFloat(v, pos, what));
        }
        if (v instanceof PySeq) {
            return tf.constant(tensor(v, pos));
        }
        if (v instanceof NdArray a) {
            return a.dtype() == NpType.FLOAT32 || a.dtype() == NpType.FLOAT64 ? tf.constant(tensor(v, pos))
                    : tf.math().cast(tf.constant(tensor(v, pos)), DType.byPythonName(a.dtype().numpyName()));
        }
        throw src.error(pos, what + " must be a tensor, got " + Values.aType(v));
    }

    /** A number as a float32; too large a magnitude is an error. */
    float toFloat(Object v, SourcePos pos, String what) {
        if (v instanceof NdArray a && a.isScalar() && !(a.item() instanceof Boolean)) {
            v = a.item();
        }
        if (!Values.isNumber(v)) {
            throw src.error(pos, what + " must be a number, got " + Values.aType(v));
        }
        double d = Values.toDouble(v);
        float f = (float) d;
        if (Float.isInfinite(f)) {
            throw src.error(pos, "number " + Values.repr(v) + " is too large for float32");
        }
        return f;
    }

    /** A number or a (non-ragged) nested list of numbers as a tensor. */
    Tensor tensor(Object v, SourcePos pos) {
        if (v instanceof NdArray a) {
            for (int d : a.shape()) {
                if (d < 1) {
                    throw src.error(pos, "an empty array cannot be a tensor (dimensions must be at least 1)");
                }
            }
            if (a.size() > MAX_ELEMENTS) {
                throw src.error(pos, "a constant may have at most " + MAX_ELEMENTS + " elements");
            }
            return new Tensor(Shape.of(a.shape()), a.toFloat32());
        }
        List<Integer> dims = new ArrayList<>();
        Object probe = v;
        SourcePos probePos = pos;
        while (probe instanceof PySeq s) {
            if (dims.size() == MAX_RANK) {
                throw src.error(pos, "a constant may have at most " + MAX_RANK + " dimensions");
            }
            if (s.items().isEmpty()) {
                throw src.error(probePos, "an empty list cannot be a tensor (dimensions must be at least 1)");
            }
            dims.add(s.items().size());
            probePos = s.at(0, probePos);
            probe = s.items().get(0);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long size = 1;
        for (int d : shape) {
            size *= d;
            if (size > MAX_ELEMENTS) {
                throw src.error(pos, "a constant may have at most " + MAX_ELEMENTS + " elements");
            }
        }
        float[] data = new float[(int) size];
        int[] filled = {0};
        fill(v, pos, shape, 0, data, filled);
        return new Tensor(Shape.of(shape), data);
    }

    private void fill(Object v, SourcePos pos, int[] shape, int level, float[] data, int[] filled) {
        if (level == shape.length) {
            if (v instanceof PySeq) {
                throw src.error(pos, "ragged nested list: expected a number here, got a list");
            }
            if (!Values.isNumber(v)) {
                throw src.error(pos, "a constant's elements must be numbers, got " + Values.aType(v));
            }
            data[filled[0]++] = toFloat(v, pos, "an element");
            return;
        }
        if (!(v instanceof PySeq s)) {
            throw src.error(pos, "ragged nested list: expected a list of " + shape[level] + " here, got "
                    + Values.aType(v));
        }
        if (s.items().size() != shape[level]) {
            throw src.error(pos, "ragged nested list: expected " + shape[level] + " elements here, got "
                    + s.items().size());
        }
        for (int i = 0; i < s.items().size(); i++) {
            fill(s.items().get(i), s.at(i, pos), shape, level + 1, data, filled);
        }
    }

    /**
     * A shape: an int (rank 1) or a tuple/list of ints; {@code None} dimensions when {@code allowNone}
     * (as {@link Tf#NONE}) and one {@code -1} when {@code allowInfer}.
     */
    int[] dims(Object v, SourcePos pos, String what, boolean allowNone, boolean allowInfer) {
        if (v instanceof Long) {
            return new int[] {dim(v, pos, v, what, allowNone, allowInfer)};
        }
        if (!(v instanceof PySeq s)) {
            throw src.error(pos, what + " must be " + (allowNone ? "a tuple or list of ints or None" : "a tuple or list of ints")
                    + ", got " + Values.aType(v));
        }
        int[] out = new int[s.items().size()];
        long elements = 1;
        for (int i = 0; i < out.length; i++) {
            out[i] = dim(s.items().get(i), s.at(i, pos), v, what, allowNone, allowInfer);
            if (out[i] > 0) {
                elements = Math.min(elements * out[i], Integer.MAX_VALUE + 1L); // saturates before it could overflow
            }
        }
        if (elements > Integer.MAX_VALUE) {
            // caught here, where the shape is written, rather than when a session first allocates it
            throw src.error(pos, "a tensor of " + what + " " + Values.repr(v) + " would have more than 2^31-1 elements");
        }
        return out;
    }

    private int dim(Object d, SourcePos pos, Object whole, String what, boolean allowNone, boolean allowInfer) {
        if (d == Values.NONE && allowNone) {
            return Tf.NONE;
        }
        if (!(d instanceof Long l)) {
            throw src.error(pos, "bad dimension " + Values.repr(d) + " in " + what + " " + Values.repr(whole)
                    + ": dimensions must be ints" + (allowNone ? " or None" : ""));
        }
        if (l == -1 && allowInfer) {
            return -1;
        }
        String in = whole == d ? "" : " in " + what + " " + Values.repr(whole);
        if (l < 1) {
            throw src.error(pos, "bad dimension " + l + in + ": dimensions must be at least 1"
                    + (allowNone ? " (or None)" : allowInfer ? " (or -1)" : ""));
        }
        if (l > Integer.MAX_VALUE) {
            throw src.error(pos, "dimension " + l + in + " is too large");
        }
        return (int) (long) l;
    }

    /** An int or a tuple/list of ints (axes, a permutation); null for None. */
    int[] ints(Object v, SourcePos pos, String what) {
        if (v == Values.NONE) {
            return null;
        }
        if (v instanceof Long) {
            return new int[] {smallInt(v, pos, what)};
        }
        if (!(v instanceof PySeq s)) {
            throw src.error(pos, what + " must be an int or a list of ints, got " + Values.aType(v));
        }
        int[] out = new int[s.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = smallInt(s.items().get(i), s.at(i, pos), what);
        }
        return out;
    }

    int smallInt(Object v, SourcePos pos, String what) {
        if (!(v instanceof Long l)) {
            throw src.error(pos, what + " must be an int, got " + Values.aType(v));
        }
        if (l > 1_000_000 || l < -1_000_000) {
            throw src.error(pos, what + " " + l + " is out of range");
        }
        return (int) (long) l;
    }

    boolean bool(Object v, SourcePos pos, String what) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw src.error(pos, what + " must be True or False, got " + Values.repr(v));
    }
}
