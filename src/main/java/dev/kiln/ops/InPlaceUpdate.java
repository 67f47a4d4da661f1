package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * What the optimizer's update ops share: a side effect writing variables in place, run after every other
 * kernel ({@link Storage#UPDATE}), made after differentiation and so without a gradient.
 */
public sealed interface InPlaceUpdate extends KilnOp permits SgdUpdate, ElementwiseUpdate, MatMulUpdate {
    @Override
    default Storage storage() {
        return Storage.UPDATE;
    }

    @Override
    default List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw Fused.notDifferentiable(node);
    }
}
