package dev.kiln.ops;

import dev.kiln.ir.Node;
import java.util.List;

/**
 * An op whose meaning (its interpreter kernel) and gradient are its own, but which the back end runs as
 * simpler ops: {@link #expand} builds them, and the pass {@code expand-composites} puts them in its place
 * before anything else is optimized. So a numerically careful formula (softmax with its maximum
 * subtracted) keeps its closed-form gradient, which differentiating the expansion would not give.
 */
public sealed interface Composite extends KilnOp permits Softmax, LogSoftmax, SoftmaxCrossEntropy,
        SparseSoftmaxCrossEntropy, ArgMax {
    /** The same value from simpler ops, built with {@code o} on {@code inputs} (the node's, rewritten). */
    Node expand(Ops o, List<Node> inputs);

    @Override
    default Storage storage() {
        return Storage.COMPOSITE;
    }

    @Override
    default Kernel kernel(Node node) {
        return new Kernel.None();
    }
}
