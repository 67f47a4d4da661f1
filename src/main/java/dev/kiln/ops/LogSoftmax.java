package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * {@code x - log(sum(exp(x)))} along the last axis, as {@code (x - m) - log(sum(exp(x - m)))} with m the
 * row's maximum, so it stays finite for logits of ±1e4. Gradient: TensorFlow's closed form,
 * {@code dy - exp(y) · sum(dy)}.
 */
public record LogSoftmax() implements Composite {
    @Override
    public String name() {
        return "log_softmax";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Softmaxes.checkRank("log_softmax", inputs.get(0).shape());
        return inputs.get(0).shape();
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        float[] z = Softmaxes.shifted(inputs.get(0));
        int n = Softmaxes.rowLength(inputs.get(0));
        float[] lse = Softmaxes.logSums(z, n);
        float[] y = new float[z.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = z[i] - lse[i / n];
        }
        return new Tensor(inputs.get(0).shape(), y);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        int[] last = Softmaxes.lastAxis(node.shape().rank());
        return List.of(o.sub(dy, o.mul(o.exp(node), o.reduceSum(dy, last, true))));
    }

    @Override
    public Node expand(Ops o, List<Node> inputs) {
        Node[] zl = Softmaxes.shiftedAndLogSum(o, inputs.get(0));
        return o.sub(zl[0], zl[1]);
    }
}
