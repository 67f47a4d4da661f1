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
        GREATER("greater"), GREATER_EQUAL("greater_equal"), LESS("less"), LESS_EQUAL("less_equal");

        private final String opName;

        Kind(String opName) {
            this.opName = opName;
        }
    }

    @Override
    public String name() {
        return kind.opName;
    }

    @Override
    public float apply(float a, float b) {
        boolean holds = switch (kind) {
            case GREATER -> a > b;
            case GREATER_EQUAL -> a >= b;
            case LESS -> a < b;
            case LESS_EQUAL -> a <= b;
        };
        return holds ? 1f : 0f;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw new KilnException(node.pos(), name() + " is not differentiable");
    }
}
