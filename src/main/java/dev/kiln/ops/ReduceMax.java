package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * Maximum over {@code axes} ({@link AxisReduction}); NaN when any element reduced is NaN, as
 * {@code Math.max} takes it. Gradient: TensorFlow's, {@code dy} shared equally among the elements equal to
 * the maximum ({@code dy · equal(x, max) / count}). The order in which a maximum is taken does not change
 * it, so both engines give the same bits. Not linear: {@code max(-x) ≠ -max(x)}.
 */
public record ReduceMax(int[] axes, boolean keepDims) implements AxisReduction {
    @Override
    public String name() {
        return "reduce_max";
    }

    @Override
    public boolean mean() {
        return false;
    }

    @Override
    public Kernel.Combine combine() {
        return Kernel.Combine.MAX;
    }

    @Override
    public boolean linear() {
        return false;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        // the maximum and dy, with the reduced axes kept, read against x
        Node max = o.broadcastLike(node, x, axes, keepDims, false);
        Node chosen = o.compare(Compare.Kind.EQUAL, x, max);
        Node count = o.broadcastLike(o.reduceSum(chosen, axes, keepDims), x, axes, keepDims, false);
        return List.of(o.div(o.mul(chosen, o.broadcastLike(dy, x, axes, keepDims, false)), count));
    }

    @Override
    public boolean equals(Object o) {
        return AxisReduction.same(this, o);
    }

    @Override
    public int hashCode() {
        return AxisReduction.hash(this);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }
}
