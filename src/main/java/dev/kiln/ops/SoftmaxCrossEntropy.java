package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code -sum(labels · log_softmax(logits))} along the last axis (inputs: labels, logits of one shape; the
 * result drops the last axis), with log-sum-exp computed after subtracting the row's maximum, so logits of
 * ±1e4 give a finite loss and gradient. Gradient: the closed form, {@code dy · (softmax(logits) - labels)}
 * to the logits, and with {@code labelsGradient} (TensorFlow's {@code _v2}) {@code -dy · log_softmax(logits)}
 * to the labels; without it (the first version) none flows to them.
 */
public record SoftmaxCrossEntropy(boolean labelsGradient) implements Composite {
    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public String attributes() {
        return labelsGradient ? "" : "labels_gradient=false";
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape labels = inputs.get(0).shape();
        Shape logits = inputs.get(1).shape();
        Softmaxes.checkRank("softmax_cross_entropy", logits);
        return Softmaxes.rowsOf(labels, logits, logits.rank(), "labels and logits must have the same shape");
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        float[] labels = inputs.get(0).data();
        Tensor logits = inputs.get(1);
        float[] z = Softmaxes.shifted(logits);
        int n = Softmaxes.rowLength(logits);
        float[] lse = Softmaxes.logSums(z, n);
        float[] loss = new float[lse.length];
        for (int r = 0; r < loss.length; r++) {
            float s = 0f;
            for (int j = 0; j < n; j++) {
                s += labels[r * n + j] * (lse[r] - z[r * n + j]);
            }
            loss[r] = s;
        }
        return new Tensor(Shape.of(Arrays.copyOf(logits.shape().dims(), logits.shape().rank() - 1)), loss);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node labels = node.input(0);
        Node logits = node.input(1);
        Node dyRows = o.broadcastLike(dy, logits, Softmaxes.lastAxis(logits.shape().rank()), false, false);
        Node toLogits = o.mul(dyRows, o.sub(o.softmax(logits), labels));
        Node toLabels = labelsGradient ? o.mul(dyRows, o.neg(o.logSoftmax(logits))) : null;
        return Arrays.asList(toLabels, toLogits);
    }

    @Override
    public Node expand(Ops o, List<Node> inputs) {
        Node labels = inputs.get(0);
        Node logits = inputs.get(1);
        Node[] zl = Softmaxes.shiftedAndLogSum(o, logits);
        return o.reduceSum(o.mul(labels, o.sub(zl[1], zl[0])), Softmaxes.lastAxis(logits.shape().rank()), false);
    }
}
