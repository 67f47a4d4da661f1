package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * {@code exp(x) / sum(exp(x))} along the last axis, computed with the row's maximum subtracted first, so
 * logits of ±1e4 give a finite result. Gradient: TensorFlow's closed form, {@code (dy - sum(dy·y)) · y}.
 * Expanded for the back end into {@code reduce_max}, {@code exp}, {@code reduce_sum} and a division.
 */
public record Softmax() implements Composite {
    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Softmaxes.checkRank("softmax", inputs.get(0).shape());
        return inputs.get(0).shape();
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        float[] z = Softmaxes.shifted(inputs.get(0));
        int n = Softmaxes.rowLength(inputs.get(0));
        float[] y = new float[z.length];
        for (int r = 0; r < z.length / n; r++) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                y[r * n + j] = Exp.exp(z[r * n + j]);
                sum += y[r * n + j];
            }
            for (int j = 0; j < n; j++) {
                y[r * n + j] /= sum;
            }
        }
        return new Tensor(inputs.get(0).shape(), y);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        int[] last = Softmaxes.lastAxis(node.shape().rank());
        return List.of(o.mul(o.sub(dy, o.reduceSum(o.mul(dy, node), last, true)), node));
    }

    @Override
    public Node expand(Ops o, List<Node> inputs) {
        Node x = inputs.get(0);
        int[] last = Softmaxes.lastAxis(x.shape().rank());
        Node e = o.exp(o.sub(x, o.reduceMax(x, last, true)));
        return o.div(e, o.reduceSum(e, last, true));
    }
}
