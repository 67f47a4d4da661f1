package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * A comparison as a float mask: 1 where it holds, 0 elsewhere, broadcasting. Gradient rules use it to
 * route {@code dy} (relu, maximum, minimum); {@code tf.equal} and its kin are it cast to bool. It has no
 * gradient of its own.
 */
public record Compare(Kind kind) implements BinaryElementwise {
    /** Which comparison. */
    public enum Kind {
        GREATER("greater", "greater"), GREATER_EQUAL("greater_equal", "greaterEqual"),
        LESS("less", "less"), LESS_EQUAL("less_equal", "lessEqual"), EQUAL("equal", "equal"),
        NOT_EQUAL("not_equal", "notEqual");

        private final String opName;
        private final String method;

        Kind(String opName, String method) {
            this.opName = opName;
            this.method = method;
        }
    }

    @Override
    public String name() {
        return kind.opName;
    }

    /**
     * A float32 mask. The operands may be of any type, but of one type, unless one is a constant (a number
     * compared with integer labels).
     */
    @Override
    public DType dtype(List<Node> inputs) {
        Node a = inputs.get(0);
        Node b = inputs.get(1);
        if (a.dtype() != b.dtype() && a.op().storage() != Storage.CONSTANT && b.op().storage() != Storage.CONSTANT) {
            throw new KilnException("cannot compare " + a.dtype().pythonName() + " with " + b.dtype().pythonName()
                    + " (cast one of them with tf.cast first)");
        }
        return DType.FLOAT32;
    }

    @Override
    public float apply(float a, float b) {
        return switch (kind) {
            case GREATER -> greater(a, b);
            case GREATER_EQUAL -> greaterEqual(a, b);
            case LESS -> less(a, b);
            case LESS_EQUAL -> lessEqual(a, b);
            case EQUAL -> equal(a, b);
            case NOT_EQUAL -> notEqual(a, b);
        };
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw new KilnException(node.pos(), name() + " is not differentiable");
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Compare.class, kind.method, 2);
    }

    public static float greater(float a, float b) {
        return a > b ? 1f : 0f;
    }

    public static float greaterEqual(float a, float b) {
        return a >= b ? 1f : 0f;
    }

    public static float less(float a, float b) {
        return a < b ? 1f : 0f;
    }

    public static float lessEqual(float a, float b) {
        return a <= b ? 1f : 0f;
    }

    public static float equal(float a, float b) {
        return a == b ? 1f : 0f;
    }

    public static float notEqual(float a, float b) {
        return a != b ? 1f : 0f;
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Compare(switch (kind) {
            case GREATER -> "GT";
            case GREATER_EQUAL -> "GE";
            case LESS -> "LT";
            case LESS_EQUAL -> "LE";
            case EQUAL -> "EQ";
            case NOT_EQUAL -> "NE";
        });
    }
}
