package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * {@code tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)}, element by element with
 * broadcasting: {@code -z·log(sigmoid(x)) - (1 - z)·log(1 - sigmoid(x))}, computed as TensorFlow does,
 * {@code max(x, 0) - x·z + log(1 + exp(-|x|))}, which is finite for any x. Gradient, in closed form:
 * {@code dy·(sigmoid(x) - z)} to the logits and {@code -dy·x} to the labels.
 */
public record SigmoidCrossEntropy() implements BinaryElementwise {
    @Override
    public String name() {
        return "sigmoid_cross_entropy";
    }

    /** {@code a}: the label, {@code b}: the logit. */
    @Override
    public float apply(float a, float b) {
        return loss(a, b);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node z = node.input(0);
        Node x = node.input(1);
        Node toLogits = o.mul(dy, o.sub(o.sigmoid(x), z));
        Node toLabels = o.neg(o.mul(dy, x));
        return List.of(o.sumLike(toLabels, z), o.sumLike(toLogits, x));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(SigmoidCrossEntropy.class, "loss", 2);
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }

    /** The kernel, shared by the interpreter and the generated code, in double and rounded once. */
    public static float loss(float z, float x) {
        double xd = x;
        return (float) (Math.max(xd, 0.0) - xd * z + Math.log1p(Math.exp(-Math.abs(xd))));
    }
}
