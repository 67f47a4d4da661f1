package dev.kiln.ir;

import java.util.List;

/**
 * Element type of a tensor. Kiln computes in float32; integers (labels, {@code argmax}) and booleans
 * ({@code equal}) are typed in the graph, so that operations on them are checked as TensorFlow checks them,
 * but held in the same float arrays: an integer of magnitude up to 2^24 is exact in a float, and a boolean
 * is 0 or 1. Feeds of integer type are checked to hold such integers.
 */
public enum DType {
    FLOAT32("f32", "float32"),
    INT32("i32", "int32"),
    INT64("i64", "int64"),
    BOOL("bool", "bool");

    /** The largest integer magnitude an integer tensor may hold: every integer up to it is exact in a float. */
    public static final float MAX_EXACT_INTEGER = 16_777_216f;

    private final String shortName;
    private final String pythonName;

    DType(String shortName, String pythonName) {
        this.shortName = shortName;
        this.pythonName = pythonName;
    }

    /** The short spelling used in IR listings, e.g. {@code f32}. */
    public String shortName() {
        return shortName;
    }

    /** TensorFlow's and NumPy's name, e.g. {@code float32}. */
    public String pythonName() {
        return pythonName;
    }

    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    /** The dtype named {@code name} as TensorFlow spells it ({@code int64}), or null. */
    public static DType byPythonName(String name) {
        for (DType d : values()) {
            if (d.pythonName.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Null when {@code v} is a value this dtype can hold (an integer within ±2^24 for integers, 0 or 1 for
     * a boolean, anything for float32), else why not.
     */
    public String refuses(float v) {
        if (isInteger() && (v != Math.rint(v) || Math.abs(v) > MAX_EXACT_INTEGER)) {
            return Float.isNaN(v) || v != Math.rint(v) ? "is not an integer" : "is beyond ±2^24, where a float32 no longer holds every integer";
        }
        if (this == BOOL && v != 0f && v != 1f) {
            return "is not a boolean (0 or 1)";
        }
        return null;
    }

    /** The float32 rule most ops follow: every operand must be float32, and so is the result. */
    public static DType allFloat(List<Node> inputs) {
        for (Node in : inputs) {
            if (in.dtype() != FLOAT32) {
                throw new KilnException("operands must be float32, got " + in.dtype().pythonName()
                        + " (cast it with tf.cast first)");
            }
        }
        return FLOAT32;
    }
}
