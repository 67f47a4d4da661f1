package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * Mean over {@code axes}: the sum divided by the number of elements reduced. Gradient: {@code dy}
 * broadcast back over the reduced axes and divided by that number.
 */
public record ReduceMean(int[] axes, boolean keepDims) implements KilnOp {
    @Override
    public String name() {
        return "reduce_mean";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String attributes() {
        return "axes=" + Reduction.axesText(axes) + (keepDims ? " keepdims=true" : "");
    }

    @Override
    public Shape shape(List<Node> inputs) {
        return Reduction.reducedShape(inputs.get(0).shape(), axes, keepDims);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        float[] s = Reduction.sum(x.data(), x.shape(), axes);
        float n = Reduction.count(x.shape(), axes);
        for (int i = 0; i < s.length; i++) {
            s[i] /= n;
        }
        return new Tensor(Reduction.reducedShape(x.shape(), axes, keepDims), s);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).broadcastLike(dy, node.input(0), axes, keepDims, true));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReduceMean r && keepDims == r.keepDims && java.util.Arrays.equals(axes, r.axes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(axes) * 2 + (keepDims ? 1 : 0);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }

    @Override
    public Kernel kernel(Node node) {
        return Loops.reduceInput(node, axes, Reduction.count(node.input(0).shape(), axes));
    }

    @Override
    public boolean linear() {
        return true;
    }
}
