package dev.kiln.ops;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import java.util.List;

/** The loop nests ops lower to ({@link Kernel.Loop}): elementwise maps and reductions over a shape. */
final class Loops {
    private Loops() {}

    /** {@code expr} at every element of {@code out}, argument i read at {@code argStrides[i]}. */
    static Kernel.Loop elementwise(Shape out, ScalarExpr expr, int[][] argStrides) {
        return new Kernel.Loop(out.dims(), out.strides(), argStrides, expr, 0f, out.size());
    }

    /**
     * {@code expr} over {@code space}, summed along {@code axes} into {@code out}; each sum divided by
     * {@code divisor} when it is above 0.
     */
    static Kernel.Loop reduce(Shape space, int[] axes, ScalarExpr expr, int[][] argStrides, float divisor, Shape out) {
        return reduce(space, axes, expr, argStrides, divisor, out, Kernel.Combine.SUM);
    }

    /** Like {@link #reduce(Shape, int[], ScalarExpr, int[][], float, Shape)}, combining as {@code combine} says. */
    static Kernel.Loop reduce(Shape space, int[] axes, ScalarExpr expr, int[][] argStrides, float divisor, Shape out,
            Kernel.Combine combine) {
        int[] outStrides = Reduction.reducedShape(space, axes, true).strides();
        for (int a : axes) {
            outStrides[a] = 0;
        }
        return new Kernel.Loop(space.dims(), outStrides, argStrides, expr, divisor, out.size(), combine);
    }

    /** A reduction of input 0 of {@code node} along {@code axes}, summing. */
    static Kernel.Loop reduceInput(Node node, int[] axes, float divisor) {
        return reduceInput(node, axes, divisor, Kernel.Combine.SUM);
    }

    /** A reduction of input 0 of {@code node} along {@code axes}, combining as {@code combine} says. */
    static Kernel.Loop reduceInput(Node node, int[] axes, float divisor, Kernel.Combine combine) {
        Shape in = node.input(0).shape();
        return reduce(in, axes, new ScalarExpr.Arg(0), new int[][] {in.strides()}, divisor, node.shape(), combine);
    }

    /** Each input's strides when broadcast to {@code space}. */
    static int[][] broadcastStrides(List<Node> inputs, Shape space) {
        int[][] st = new int[inputs.size()][];
        for (int i = 0; i < st.length; i++) {
            st[i] = Broadcast.stridesFor(inputs.get(i).shape(), space);
        }
        return st;
    }
}
