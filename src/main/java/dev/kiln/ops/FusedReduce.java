package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A reduction of an elementwise chain in one loop, e.g. {@code reduce_sum((y - y_pred) ** 2)}: the sum
 * (or mean) over {@code axes} of {@code expr} evaluated on the inputs broadcast to a common shape.
 */
public record FusedReduce(ScalarExpr expr, int arity, int[] axes, boolean keepDims, boolean mean) implements KilnOp {
    @Override
    public String name() {
        return mean ? "fused_reduce_mean" : "fused_reduce_sum";
    }

    @Override
    public String attributes() {
        return "expr=" + expr + " axes=" + Reduction.axesText(axes) + (keepDims ? " keepdims=true" : "");
    }

    /** float32; its inputs may be of any type, as the fused ops' were. */
    @Override
    public DType dtype(List<Node> inputs) {
        return DType.FLOAT32;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        return Reduction.reducedShape(Fused.broadcastAll(inputs), axes, keepDims);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Shape space = Fused.broadcastAllValues(inputs);
        float[] s = Reduction.sum(Fused.evaluate(expr, inputs, space), space, axes);
        if (mean) {
            float n = Reduction.count(space, axes);
            for (int i = 0; i < s.length; i++) {
                s[i] /= n;
            }
        }
        return new Tensor(Reduction.reducedShape(space, axes, keepDims), s);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw Fused.notDifferentiable(node);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedReduce r && r.expr.equals(expr) && r.arity == arity && Arrays.equals(r.axes, axes)
                && r.keepDims == keepDims && r.mean == mean;
    }

    @Override
    public int hashCode() {
        return expr.hashCode() * 31 + Arrays.hashCode(axes) * 4 + (keepDims ? 2 : 0) + (mean ? 1 : 0);
    }

    /** {@code expr} over the inputs broadcast to one shape, summed along the axes. */
    @Override
    public Kernel kernel(Node node) {
        Shape space = Fused.broadcastAll(node.inputs());
        float divisor = mean ? Reduction.count(space, axes) : 0f;
        return Loops.reduce(space, axes, expr, Loops.broadcastStrides(node.inputs(), space), divisor, node.shape());
    }
}
