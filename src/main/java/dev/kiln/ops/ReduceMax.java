package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * Maximum over {@code axes} (sorted, non-negative), keeping them as 1s when {@code keepDims}; NaN when any
 * element reduced is NaN, as {@code Math.max} takes it. Gradient: TensorFlow's, {@code dy} shared equally
 * among the elements equal to the maximum ({@code dy · equal(x, max) / count}). The order in which a
 * maximum is taken does not change it, so both engines give the same bits.
 */
public record ReduceMax(int[] axes, boolean keepDims) implements KilnOp {
    @Override
    public String name() {
        return "reduce_max";
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
        Shape out = Reduction.reducedShape(x.shape(), axes, true);
        float[] m = new float[out.size()];
        java.util.Arrays.fill(m, Float.NEGATIVE_INFINITY);
        int[] strides = Broadcast.stridesFor(out, x.shape());
        int[] dims = x.shape().dims();
        int[] idx = new int[dims.length];
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            int o = 0;
            for (int k = 0; k < dims.length; k++) {
                o += idx[k] * strides[k];
            }
            m[o] = Math.max(m[o], d[i]);
            for (int k = dims.length - 1; k >= 0 && ++idx[k] == dims[k]; k--) {
                idx[k] = 0;
            }
        }
        return new Tensor(Reduction.reducedShape(x.shape(), axes, keepDims), m);
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
    public Kernel kernel(Node node) {
        Shape in = node.input(0).shape();
        return Loops.reduce(in, axes, new ScalarExpr.Arg(0), new int[][] {in.strides()}, 0f, node.shape(),
                Kernel.Combine.MAX);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReduceMax r && keepDims == r.keepDims && java.util.Arrays.equals(axes, r.axes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(axes) * 2 + (keepDims ? 1 : 0);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }
}
