package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code g} repeated along {@code axes} up to the shape of {@code like} (its second input, whose value is
 * not read), divided by the number of repeats when {@code mean}: the gradient of reduce_sum and
 * reduce_mean. {@code g} has like's shape without those axes, or with them as 1s when {@code keptDims}.
 * Its own gradient sums {@code dy} back over the axes.
 */
public record BroadcastLike(int[] axes, boolean keptDims, boolean mean) implements ShapeLike {
    @Override
    public String name() {
        return "broadcast_like";
    }

    @Override
    public String attributes() {
        return "axes=" + Reduction.axesText(axes) + (keptDims ? " keepdims=true" : "") + (mean ? " mean=true" : "");
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape g = inputs.get(0).shape();
        Shape like = inputs.get(1).shape();
        Shape expected = Reduction.reducedShape(like, axes, keptDims);
        boolean fits = g.rank() == expected.rank();
        for (int i = 0; fits && i < g.rank(); i++) {
            fits = g.dim(i) == expected.dim(i) || g.dim(i) == Shape.UNKNOWN || expected.dim(i) == Shape.UNKNOWN;
        }
        if (!fits) {
            throw new KilnException("cannot broadcast " + g + " to " + like + " along axes " + Arrays.toString(axes));
        }
        return like;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor g = inputs.get(0);
        Shape out = inputs.get(1).shape();
        Shape kept = Reduction.reducedShape(out, axes, true);
        int[] strides = Broadcast.stridesFor(kept, out);
        int[] dims = out.dims();
        float n = Reduction.count(out, axes);
        float[] src = g.data();
        float[] r = new float[out.size()];
        int[] idx = new int[dims.length];
        int off = 0;
        for (int i = 0; i < r.length; i++) {
            r[i] = mean ? src[off] / n : src[off];
            for (int d = dims.length - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < dims[d]) {
                    break;
                }
                off -= strides[d] * dims[d];
                idx[d] = 0;
            }
        }
        return new Tensor(out, r);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        // Each element of g is repeated n times (and divided by n when mean): sum, or average, dy back.
        Node back = mean ? o.reduceMean(dy, axes, keptDims) : o.reduceSum(dy, axes, keptDims);
        return Arrays.asList(back, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastLike r && keptDims == r.keptDims && mean == r.mean && Arrays.equals(axes, r.axes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(axes) * 4 + (keptDims ? 2 : 0) + (mean ? 1 : 0);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }

    /** Input 0 read with zero strides along the axes (divided by their size for a mean's gradient). */
    @Override
    public Kernel kernel(Node node) {
        Shape out = node.shape();
        Shape kept = Reduction.reducedShape(out, axes, true);
        ScalarExpr x = new ScalarExpr.Arg(0);
        if (mean) {
            x = new ScalarExpr.Apply(new Div(), List.of(x, new ScalarExpr.Const(Reduction.count(out, axes))));
        }
        return Loops.elementwise(out, x, new int[][] {Broadcast.stridesFor(kept, out)});
    }
}
