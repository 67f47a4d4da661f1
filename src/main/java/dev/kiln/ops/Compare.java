package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * A comparison as a float mask: 1 where it holds, 0 elsewhere, broadcasting. Gradient rules use it to
 * route {@code dy} (relu, maximum, minimum); it has no gradient of its own.
 */
public record Compare(Kind kind) implements BinaryElementwise {
    /** Which comparison. */
    public enum Kind {
        GREATER("greater", "greater"), GREATER_EQUAL("greater_equal", "greaterEqual"),
        LESS("less", "less"), LESS_EQUAL("less_equal", "lessEqual"), EQUAL("equal", "equal");

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

    @Override
    public float apply(float a, float b) {
        return switch (kind) {
            case GREATER -> greater(a, b);
            case GREATER_EQUAL -> greaterEqual(a, b);
            case LESS -> less(a, b);
            case LESS_EQUAL -> lessEqual(a, b);
            case EQUAL -> equal(a, b);
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

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Compare(switch (kind) {
            case GREATER -> "GT";
            case GREATER_EQUAL -> "GE";
            case LESS -> "LT";
            case LESS_EQUAL -> "LE";
            case EQUAL -> "EQ";
        });
    }
}
