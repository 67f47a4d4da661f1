package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tf.cast(x, to)}: to an integer type, truncation toward zero, as C++'s conversion does (NaN stays
 * NaN, where TensorFlow's result is undefined); to bool, 1 for every non-zero element (NaN included), else
 * 0; to float32, the value itself (integers and booleans are held as floats already, {@link DType}).
 * Gradient: {@code dy} when both types are float32 (a cast to float32 of a float32 is the identity); none
 * otherwise, as TensorFlow sends none through a cast to or from an integer.
 */
public record Cast(DType to) implements UnaryElementwise {
    @Override
    public String name() {
        return "cast";
    }

    @Override
    public String attributes() {
        return "to=" + to.pythonName();
    }

    @Override
    public DType dtype(List<Node> inputs) {
        return to;
    }

    @Override
    public float apply(float x) {
        return switch (to) {
            case FLOAT32 -> x;
            case BOOL -> toBool(x);
            case INT32, INT64 -> truncate(x);
        };
    }

    /** Toward zero; floats of magnitude 2^23 or more are integers already, and NaN stays NaN. */
    public static float truncate(float x) {
        return Math.abs(x) < 8_388_608f ? (float) (int) x : x;
    }

    public static float toBool(float x) {
        return x != 0f ? 1f : 0f;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        boolean floats = to == DType.FLOAT32 && node.input(0).dtype() == DType.FLOAT32;
        return Arrays.asList(floats ? dy : null);
    }

    @Override
    public void emit(ScalarEmitter e) {
        switch (to) {
            case FLOAT32 -> { } // the value itself
            case BOOL -> e.callStatic(Cast.class, "toBool", 1);
            case INT32, INT64 -> e.callStatic(Cast.class, "truncate", 1);
        }
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
