package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * {@code g} summed down to the shape of {@code like} (its second input, whose value is not read): the
 * reverse of NumPy broadcasting, used by the gradients of broadcasting ops. Sums over g's extra leading
 * dimensions and over the dimensions where {@code like} has size 1. Not differentiable itself
 * (second-order gradients are not supported).
 */
public record SumLike() implements ShapeLike {
    @Override
    public String name() {
        return "sum_like";
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape g = inputs.get(0).shape();
        Shape like = inputs.get(1).shape();
        if (like.rank() > g.rank() || !Broadcast.shape(g, like).equals(g)) {
            throw new KilnException("cannot sum " + g + " down to " + like);
        }
        return like;
    }

    /** The axes of {@code g} that are summed away to reach {@code like}. */
    public static int[] axes(Shape g, Shape like) {
        int lead = g.rank() - like.rank();
        int count = 0;
        int[] tmp = new int[g.rank()];
        for (int i = 0; i < g.rank(); i++) {
            if (i < lead || (like.dim(i - lead) == 1 && g.dim(i) != 1)) {
                tmp[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(tmp, count);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor g = inputs.get(0);
        Shape like = inputs.get(1).shape();
        return new Tensor(like, Reduction.sum(g.data(), g.shape(), axes(g.shape(), like)));
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw new KilnException(node.pos(), "sum_like is not differentiable (no second-order gradients)");
    }

    /** Input 0 summed along the axes where input 1 is 1 or missing. */
    @Override
    public Kernel kernel(Node node) {
        return Loops.reduceInput(node, axes(node.input(0).shape(), node.shape()), 0f);
    }
}
