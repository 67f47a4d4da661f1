package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/** What the fused ops share: broadcasting their inputs to one shape and evaluating a {@link ScalarExpr} there. */
final class Fused {
    private Fused() {}

    static Shape broadcastAll(List<Node> inputs) {
        Shape s = Shape.SCALAR;
        for (Node n : inputs) {
            s = Broadcast.shape(s, n.shape());
        }
        return s;
    }

    static Shape broadcastAllValues(List<Tensor> inputs) {
        Shape s = Shape.SCALAR;
        for (Tensor t : inputs) {
            s = Broadcast.shape(s, t.shape());
        }
        return s;
    }

    /** {@code expr} at every element of {@code out}, reading each input broadcast to {@code out}. */
    static float[] evaluate(ScalarExpr expr, List<Tensor> inputs, Shape out) {
        int n = inputs.size();
        int[][] strides = new int[n][];
        for (int k = 0; k < n; k++) {
            strides[k] = Broadcast.stridesFor(inputs.get(k).shape(), out);
        }
        int[] dims = out.dims();
        int[] idx = new int[dims.length];
        int[] off = new int[n];
        float[] args = new float[n];
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            for (int k = 0; k < n; k++) {
                args[k] = inputs.get(k).data()[off[k]];
            }
            r[i] = expr.eval(args);
            for (int d = dims.length - 1; d >= 0; d--) {
                idx[d]++;
                for (int k = 0; k < n; k++) {
                    off[k] += strides[k][d];
                }
                if (idx[d] < dims[d]) {
                    break;
                }
                for (int k = 0; k < n; k++) {
                    off[k] -= strides[k][d] * dims[d];
                }
                idx[d] = 0;
            }
        }
        return r;
    }

    static KilnException notDifferentiable(Node node) {
        return new KilnException(node.pos(), node.op().name()
                + " is made by the optimizer after differentiation and has no gradient");
    }
}
