package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * An op of gradients that makes its first input look like its second ({@code broadcast_like},
 * {@code sum_like}, {@code reshape_like}): the second gives only its shape, and the op is linear in the
 * first.
 */
public sealed interface ShapeLike extends KilnOp permits BroadcastLike, SumLike, ReshapeLike {
    @Override
    default int arity() {
        return 2;
    }

    /** Input 0's: input 1 gives only the shape. */
    @Override
    default DType dtype(List<Node> inputs) {
        return inputs.get(0).dtype();
    }

    /** Input 1 gives only the shape. */
    @Override
    default InputUse inputUse(Node node, int k) {
        return k == 1 ? InputUse.SHAPE : InputUse.ARRAY;
    }

    @Override
    default boolean linear() {
        return true;
    }
}
