package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * A sum, mean or maximum of one input over {@code axes} (sorted, non-negative), keeping them as 1s when
 * {@code keepDims}. Its kernel is a reduction loop. Sums and means: gradient {@code dy} broadcast back over
 * the reduced axes (for a mean, divided by the number of elements reduced); linear. A maximum
 * ({@link ReduceMax}) has its own gradient and is not linear.
 */
public sealed interface AxisReduction extends KilnOp permits ReduceSum, ReduceMean, ReduceMax {
    int[] axes();

    boolean keepDims();

    /** True for the mean, false for the sum (and the maximum). */
    boolean mean();

    /** How the elements reduced are combined: summed, unless the op says otherwise. */
    default Kernel.Combine combine() {
        return Kernel.Combine.SUM;
    }

    @Override
    default int arity() {
        return 1;
    }

    @Override
    default String attributes() {
        return "axes=" + Reduction.axesText(axes()) + (keepDims() ? " keepdims=true" : "");
    }

    @Override
    default Shape shape(List<Node> inputs) {
        return Reduction.reducedShape(inputs.get(0).shape(), axes(), keepDims());
    }

    @Override
    default Tensor eval(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        float[] s = combine() == Kernel.Combine.MAX
                ? Reduction.combine(x.data(), x.shape(), axes(), Float.NEGATIVE_INFINITY, Math::max)
                : Reduction.sum(x.data(), x.shape(), axes());
        if (mean()) {
            float n = Reduction.count(x.shape(), axes());
            for (int i = 0; i < s.length; i++) {
                s[i] /= n;
            }
        }
        return new Tensor(Reduction.reducedShape(x.shape(), axes(), keepDims()), s);
    }

    @Override
    default List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).broadcastLike(dy, node.input(0), axes(), keepDims(), mean()));
    }

    @Override
    default Kernel kernel(Node node) {
        return Loops.reduceInput(node, axes(), mean() ? Reduction.count(node.input(0).shape(), axes()) : 0f, combine());
    }

    @Override
    default boolean linear() {
        return true;
    }

    /** Equality by content of the axes, for the records' {@code equals}. */
    static boolean same(AxisReduction a, Object o) {
        return o instanceof AxisReduction r && r.getClass() == a.getClass() && a.keepDims() == r.keepDims()
                && java.util.Arrays.equals(a.axes(), r.axes());
    }

    /** The hash that goes with {@link #same}. */
    static int hash(AxisReduction a) {
        return java.util.Arrays.hashCode(a.axes()) * 2 + (a.keepDims() ? 1 : 0);
    }
}
