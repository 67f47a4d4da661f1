package dev.kiln.ir;

/**
 * A run with check-numerics on met a NaN or an infinity. The message is one line: the position of the
 * first node, in the order the engine runs them, whose value holds one; the node (op, id in the graph
 * the engine runs, name when it has one, dtype and shape); what was found ({@code NaN}, {@code +Inf} or
 * {@code -Inf}); and the index of the first such element:
 * <pre>model.kiln:12:9: check-numerics: log %7 'log_p' f32[4,3] produced NaN at [3, 1]</pre>
 * A node without inputs (a placeholder, a variable, a constant) "holds" the value rather than
 * producing it. Both engines build the message here, so they word it alike.
 */
public final class NumericsException extends KilnException {
    public NumericsException(SourcePos pos, String message) {
        super(pos, message);
    }

    /** How the message names {@code n} of {@code g}: {@code log %7 'log_p' f32[4,3]}. */
    public static String describe(Graph g, Node n) {
        String name = g.nameOf(n);
        return n.op().name() + " " + n.ref() + (name != null ? " '" + name + "'" : "") + " " + n.dtype().shortName()
                + n.shape();
    }

    /** The index of the first of {@code values[0 .. size - 1]} that is NaN or infinite, or -1. */
    public static int firstNonFinite(float[] values, int size) {
        for (int i = 0; i < size; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The error for element {@code index} of a value of {@code shape}, which is {@code value}.
     *
     * @param node     the node, as {@link #describe} words it
     * @param computed true for an op's output ("produced"), false for a source's value ("holds")
     */
    public static NumericsException of(SourcePos pos, String node, boolean computed, Shape shape, int index, float value) {
        String what = Float.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        String at = shape.rank() == 0 ? "" : " at " + coordinates(shape, index);
        return new NumericsException(pos, "check-numerics: " + node + (computed ? " produced " : " holds ") + what + at);
    }

    /** The row-major coordinates of flat index {@code i} in {@code shape}: {@code [3, 1]}. */
    static String coordinates(Shape shape, int i) {
        int[] strides = shape.strides();
        StringBuilder b = new StringBuilder("[");
        for (int d = 0; d < strides.length; d++) {
            b.append(d > 0 ? ", " : "").append(i / strides[d]);
            i %= strides[d];
        }
        return b.append(']').toString();
    }

    /** The same error with {@code context} (e.g. {@code step 12}) added in parentheses. */
    public NumericsException during(String context) {
        NumericsException e = new NumericsException(pos(), detail() + " (" + context + ")");
        e.setStackTrace(getStackTrace());
        return e;
    }
}
