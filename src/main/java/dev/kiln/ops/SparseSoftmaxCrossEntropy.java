package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tf.nn.sparse_softmax_cross_entropy_with_logits}: inputs integer labels (the class of each row) and
 * float logits of one more dimension, the classes; the result has the labels' shape, each row's
 * {@code logsumexp(logits) - logits[label]}, with the row's maximum subtracted first as
 * {@link SoftmaxCrossEntropy} does. A label outside {@code [0, classes)} gives NaN (TensorFlow's CPU kernel
 * stops with an error instead; {@code --check-numerics} stops there too, naming this node). Gradient: the
 * closed form {@code dy · (softmax(logits) - one_hot(labels))} to the logits, none to the labels.
 */
public record SparseSoftmaxCrossEntropy() implements Composite {
    @Override
    public String name() {
        return "sparse_softmax_cross_entropy";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public DType dtype(List<Node> inputs) {
        if (!inputs.get(0).dtype().isInteger()) {
            throw new KilnException("labels must be int32 or int64 (the class of each row), got "
                    + inputs.get(0).dtype().pythonName());
        }
        if (inputs.get(1).dtype() != DType.FLOAT32) {
            throw new KilnException("logits must be float32, got " + inputs.get(1).dtype().pythonName());
        }
        return DType.FLOAT32;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape labels = inputs.get(0).shape();
        Shape logits = inputs.get(1).shape();
        Softmaxes.checkRank("sparse_softmax_cross_entropy", logits);
        return Softmaxes.rowsOf(labels, logits, logits.rank() - 1,
                "labels must have the shape of logits without its last dimension");
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
            float k = labels[r];
            loss[r] = k >= 0 && k < n && k == Math.rint(k) ? lse[r] - z[r * n + (int) k] : Float.NaN;
        }
        return new Tensor(inputs.get(0).shape(), loss);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node logits = node.input(1);
        Node dyRows = o.broadcastLike(dy, logits, Softmaxes.lastAxis(logits.shape().rank()), false, false);
        return Arrays.asList(null, o.mul(dyRows, o.sub(o.softmax(logits), oneHot(o, node.input(0), logits))));
    }

    /** {@code sum(one_hot · (lse - z)) / sum(one_hot)} along the last axis: NaN where the label is out of range. */
    @Override
    public Node expand(Ops o, List<Node> inputs) {
        Node logits = inputs.get(1);
        int[] last = Softmaxes.lastAxis(logits.shape().rank());
        Node[] zl = Softmaxes.shiftedAndLogSum(o, logits);
        Node oneHot = oneHot(o, inputs.get(0), logits);
        return o.div(o.reduceSum(o.mul(oneHot, o.sub(zl[1], zl[0])), last, false), o.reduceSum(oneHot, last, false));
    }

    /** A float mask of the logits' shape: 1 at each row's label, 0 elsewhere (everywhere, for a label out of range). */
    private static Node oneHot(Ops o, Node labels, Node logits) {
        int rank = logits.shape().rank();
        int n = logits.shape().dim(rank - 1);
        float[] index = new float[n];
        for (int j = 0; j < n; j++) {
            index[j] = j;
        }
        Node rows = o.broadcastLike(labels, logits, Softmaxes.lastAxis(rank), false, false);
        return o.compare(Compare.Kind.EQUAL, rows, o.constant(new Tensor(Shape.of(n), index)));
    }
}
