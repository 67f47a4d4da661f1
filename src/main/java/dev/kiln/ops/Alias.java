package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import java.util.List;

/** An op whose value is its first input's elements in the same order: its input's array, no kernel. */
public sealed interface Alias extends KilnOp permits Reshape, ReshapeLike {
    /** The input's: the same elements. */
    @Override
    default DType dtype(List<Node> inputs) {
        return inputs.get(0).dtype();
    }

    @Override
    default Storage storage() {
        return Storage.ALIAS;
    }

    @Override
    default Kernel kernel(Node node) {
        return new Kernel.None();
    }
}
