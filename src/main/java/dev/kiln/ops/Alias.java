package dev.kiln.ops;

import dev.kiln.ir.Node;

/** An op whose value is its first input's elements in the same order: its input's array, no kernel. */
public sealed interface Alias extends KilnOp permits Reshape, ReshapeLike {
    @Override
    default Storage storage() {
        return Storage.ALIAS;
    }

    @Override
    default Kernel kernel(Node node) {
        return new Kernel.None();
    }
}
