package dev.kiln.runtime;

import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;

/**
 * Checks generated classes call: of the feeds, at their entry points; of every value, with check-numerics
 * on. Public because the generated classes live in other packages.
 */
public final class Checks {
    private Checks() {}

    /** Throws {@link IllegalArgumentException} unless {@code feed} holds exactly {@code expected} floats. */
    public static void feed(float[] feed, int expected, String placeholder, String shape) {
        if (feed == null) {
            throw new IllegalArgumentException("feed '" + placeholder + "' is null; expected " + expected
                    + " floats (shape " + shape + ")");
        }
        if (feed.length != expected) {
            throw new IllegalArgumentException("feed '" + placeholder + "': expected " + expected + " floats (shape "
                    + shape + "), got " + feed.length);
        }
    }

    /**
     * Throws {@link NumericsException} when one of {@code values[0 .. size - 1]}, the output of an op, is NaN
     * or infinite. The other arguments name the node: as {@link NumericsException#describe} words it, its
     * shape as {@link Shape#toString} prints it, and its position.
     */
    public static void output(float[] values, int size, String node, String shape, String file, int line, int column) {
        int i = NumericsException.firstNonFinite(values, size);
        if (i >= 0) {
            throw NumericsException.of(new SourcePos(file, line, column), node, true, parse(shape), i, values[i]);
        }
    }

    /** Like {@link #output}, for the value of a source the run reads: a feed, a variable or a constant. */
    public static void source(float[] values, int size, String node, String shape, String file, int line, int column) {
        int i = NumericsException.firstNonFinite(values, size);
        if (i >= 0) {
            throw NumericsException.of(new SourcePos(file, line, column), node, false, parse(shape), i, values[i]);
        }
    }

    /** Like {@link #source}, for a scalar constant the kernels hold inline: called only when it is not finite. */
    public static void constant(float value, String node, String shape, String file, int line, int column) {
        if (!Float.isFinite(value)) {
            throw NumericsException.of(new SourcePos(file, line, column), node, false, parse(shape), 0, value);
        }
    }

    /** The shape {@code [64,10]} (bound, so without {@code ?}). */
    private static Shape parse(String shape) {
        String inner = shape.substring(1, shape.length() - 1);
        if (inner.isEmpty()) {
            return Shape.SCALAR;
        }
        String[] parts = inner.split(",");
        int[] dims = new int[parts.length];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = Integer.parseInt(parts[d]);
        }
        return Shape.of(dims);
    }
}
