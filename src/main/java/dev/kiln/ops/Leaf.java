package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import java.util.List;

/**
 * An op without inputs: a feed, a variable's state or a constant. Its shape is the one it declares, no
 * gradient flows through it, and no kernel computes it: its {@link #storage} says where the value is.
 */
public sealed interface Leaf extends KilnOp permits Placeholder, Variable, Fill, Constant, Sampled, Iota {
    /** The shape of the value (for a placeholder, possibly with unknown dimensions). */
    Shape declared();

    @Override
    default int arity() {
        return 0;
    }

    @Override
    default Shape shape(List<Node> inputs) {
        return declared();
    }

    @Override
    default List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of();
    }

    @Override
    default Kernel kernel(Node node) {
        return new Kernel.None();
    }
}
