package dev.kiln.ops;

import dev.kiln.ir.Node;
import dev.kiln.ir.Op;

/**
 * The sealed root of Kiln's ops: an {@link Op} (meaning, shape, gradient, storage facts) that also says
 * how the back end runs it ({@link #kernel}). The list below is every op there is; a new op adds itself
 * here, or implements {@link UnaryElementwise} or {@link BinaryElementwise} (elementwise ops) or
 * {@link Leaf} (ops without inputs).
 *
 * <p>Why here and not on {@link Op}: a kernel is described with this package's expression trees, which
 * the IR package does not know; and Java lets a sealed interface permit classes of other packages only
 * inside a named module, while Kiln also runs from the class path.
 */
public sealed interface KilnOp extends Op
        permits Elementwise, Leaf, Composite, Alias, ShapeLike, MatMul, FusedMatMul, InPlaceUpdate, FusedElementwise,
        FusedReduce, Transpose, AxisReduction, Assign {
    /**
     * What the back end runs for {@code node}, a node of this op with known shapes: a loop nest, a matrix
     * product, or {@link Kernel.None} for ops whose {@link #storage} is not a kernel.
     */
    Kernel kernel(Node node);

    /** {@code op} as a Kiln op; every op a graph holds is one. */
    static KilnOp of(Op op) {
        if (op instanceof KilnOp k) {
            return k;
        }
        throw new IllegalStateException("'" + op.name() + "' (" + op.getClass().getName() + ") is not one of Kiln's ops");
    }
}
