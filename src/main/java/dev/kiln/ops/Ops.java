package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Op;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.function.Supplier;

/**
 * Builds nodes of every op on a {@link GraphBuilder}, at the builder's current position. Gradient rules
 * and both frontends build through this one class. The few simplifications it makes are ones that
 * never change a value: {@link #sumLike} and {@link #broadcastLike} return their operand when the
 * shapes already agree.
 */
public final class Ops {
    private final GraphBuilder b;

    public Ops(GraphBuilder b) {
        this.b = b;
    }

    public GraphBuilder builder() {
        return b;
    }

    // sources

    public Node scalar(float v) {
        return b.add(new Fill(v, Shape.SCALAR));
    }

    public Node fill(float v, Shape shape) {
        return b.add(made(() -> new Fill(v, shape)));
    }

    public Node constant(Tensor value) {
        return value.size() == 1 && value.shape().rank() == 0 ? scalar(value.item()) : b.add(new Constant(value));
    }

    /** A tensor of {@code like}'s shape filled with {@code v}, also when that shape is not yet known. */
    public Node fillLike(float v, Node like) {
        if (like.shape().isKnown()) {
            return fill(v, like.shape());
        }
        return broadcastLike(scalar(v), like, Reduction.allAxes(like.shape().rank()), false, false);
    }

    // elementwise

    public Node add(Node x, Node y) {
        return b.add(new Add(), x, y);
    }

    public Node sub(Node x, Node y) {
        return b.add(new Sub(), x, y);
    }

    public Node mul(Node x, Node y) {
        return b.add(new Mul(), x, y);
    }

    public Node mul(float c, Node x) {
        return mul(scalar(c), x);
    }

    public Node div(Node x, Node y) {
        return b.add(new Div(), x, y);
    }

    /** {@code op} applied to {@code x}: how the frontends build an elementwise op that needs no method of its own here. */
    public Node unary(UnaryElementwise op, Node x) {
        return b.add(op, x);
    }

    /** {@code op} applied to {@code x} and {@code y}, broadcasting: a binary elementwise op without a method here. */
    public Node binary(BinaryElementwise op, Node x, Node y) {
        return b.add(op, x, y);
    }

    public Node neg(Node x) {
        return b.add(new Neg(), x);
    }

    public Node square(Node x) {
        return b.add(new Square(), x);
    }

    public Node pow(Node x, float exponent) {
        return b.add(new Pow(exponent), x);
    }

    public Node maximum(Node x, Node y) {
        return b.add(new Maximum(), x, y);
    }

    public Node minimum(Node x, Node y) {
        return b.add(new Minimum(), x, y);
    }

    public Node compare(Compare.Kind kind, Node x, Node y) {
        return b.add(new Compare(kind), x, y);
    }

    public Node relu(Node x) {
        return b.add(new Relu(), x);
    }

    public Node sigmoid(Node x) {
        return b.add(new Sigmoid(), x);
    }

    public Node tanh(Node x) {
        return b.add(new Tanh(), x);
    }

    public Node exp(Node x) {
        return b.add(new Exp(), x);
    }

    public Node log(Node x) {
        return b.add(new Log(), x);
    }

    // structure

    public Node matmul(Node a, Node c, boolean transposeA, boolean transposeB) {
        return b.add(new MatMul(transposeA, transposeB), a, c);
    }

    public Node reduceSum(Node x, int[] axes, boolean keepDims) {
        return b.add(made("reduce_sum", x, () -> new ReduceSum(Reduction.normalize(axes, x.shape().rank()), keepDims)), x);
    }

    public Node reduceMean(Node x, int[] axes, boolean keepDims) {
        return b.add(made("reduce_mean", x, () -> new ReduceMean(Reduction.normalize(axes, x.shape().rank()), keepDims)), x);
    }

    public Node reduceMax(Node x, int[] axes, boolean keepDims) {
        return b.add(made("reduce_max", x, () -> new ReduceMax(Reduction.normalize(axes, x.shape().rank()), keepDims)), x);
    }

    public Node softmax(Node x) {
        return b.add(new Softmax(), x);
    }

    public Node logSoftmax(Node x) {
        return b.add(new LogSoftmax(), x);
    }

    /** Softmax cross-entropy of {@code labels} and {@code logits} along the last axis; see {@link SoftmaxCrossEntropy}. */
    public Node softmaxCrossEntropy(Node labels, Node logits, boolean labelsGradient) {
        return b.add(new SoftmaxCrossEntropy(labelsGradient), labels, logits);
    }

    /** Cross-entropy of integer {@code labels} and {@code logits}; see {@link SparseSoftmaxCrossEntropy}. */
    public Node sparseSoftmaxCrossEntropy(Node labels, Node logits) {
        return b.add(new SparseSoftmaxCrossEntropy(), labels, logits);
    }

    /** The index of the largest element along {@code axis} (negative counts from the end), of type {@code type}. */
    public Node argmax(Node x, int axis, DType type) {
        return b.add(made("argmax", x, () -> new ArgMax(Reduction.normalize(new int[] {axis}, x.shape().rank())[0], type)), x);
    }

    public Node cast(Node x, DType to) {
        return b.add(new Cast(to), x);
    }

    public Node transpose(Node x, int[] perm) {
        return b.add(made("transpose", x, () -> Transpose.of(perm, x.shape().rank())), x);
    }

    /** {@code g} reshaped to {@code like}'s shape, also when that has several unknown dimensions. */
    public Node reshapeLike(Node g, Node like) {
        if (g.shape().equals(like.shape()) && g.shape().isKnown()) {
            return g;
        }
        return b.add(new ReshapeLike(), g, like);
    }

    public Node reshape(Node x, int[] shape) {
        return b.add(made("reshape", x, () -> new Reshape(shape)), x);
    }

    /** {@code g} summed down to {@code like}'s shape: the reverse of broadcasting. */
    public Node sumLike(Node g, Node like) {
        if (g.shape().equals(like.shape())) {
            return g;
        }
        return b.add(new SumLike(), g, like);
    }

    /**
     * {@code g} broadcast up to {@code like}'s shape along {@code axes} (the axes a reduction removed, or
     * kept as 1 when {@code keptDims}), divided by their total size when {@code mean}.
     */
    public Node broadcastLike(Node g, Node like, int[] axes, boolean keptDims, boolean mean) {
        return b.add(new BroadcastLike(axes, keptDims, mean), g, like);
    }

    public Node assign(Node variable, Node value) {
        return b.add(new Assign(), variable, value);
    }

    /**
     * Constructs an op of {@code operand} whose attributes may be invalid; a complaint from the constructor
     * gets the builder's current position, the op's name and the operand with its shape.
     */
    public Op made(String opName, Node operand, Supplier<Op> constructor) {
        try {
            return constructor.get();
        } catch (KilnException e) {
            if (e.pos() != null) {
                throw e;
            }
            String d = e.detail().startsWith(opName + ": ") ? e.detail().substring(opName.length() + 2) : e.detail();
            throw new KilnException(b.currentPosition(), opName + "(" + b.describe(operand) + "): " + d, e);
        }
    }

    /**
     * Constructs an op whose attributes may be invalid; a complaint from the constructor gets the
     * builder's current position.
     */
    public Op made(Supplier<Op> constructor) {
        try {
            return constructor.get();
        } catch (KilnException e) {
            if (e.pos() != null) {
                throw e;
            }
            throw new KilnException(b.currentPosition(), e.detail(), e);
        }
    }
}
