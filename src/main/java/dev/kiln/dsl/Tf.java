package dev.kiln.dsl;

import dev.kiln.grad.Gradients;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.Abs;
import dev.kiln.ops.Ops;
import dev.kiln.ops.Placeholder;
import dev.kiln.ops.RandomNormal;
import dev.kiln.ops.Sqrt;
import dev.kiln.ops.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Java frontend: a graph builder whose methods mirror TensorFlow 1, so a TF1 program transliterates
 * line by line.
 *
 * <pre>{@code
 * Tf tf = new Tf();
 * Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 1000));
 * Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(1000, 100)));
 * Node h = tf.relu(tf.matmul(x, w1));
 * ...
 * Graph graph = tf.build();
 * }</pre>
 *
 * Every node is checked as it is built: a shape error throws {@link KilnException} naming the op, the
 * operands with their shapes, and the caller's file and line; the message is the one the text DSL gives
 * for the same mistake.
 *
 * <p>Not thread-safe: build each graph on one thread (different threads may build different graphs at
 * once). The {@link Graph} that {@link #build()} returns is immutable and may be shared.
 */
public final class Tf {
    /**
     * A one-tensor function as scripts call it: {@code tf.NAME(param)} (also bare and under
     * {@code tf.compat.v1}), and under the extra paths in {@code aliases} ({@code "math.tanh"}).
     */
    record Unary(String name, String param, java.util.function.BiFunction<Tf, Node, Node> build, String... aliases) {}

    /** The one-tensor functions scripts may call, by TensorFlow 1's names; {@link Builtins} registers them. */
    static final List<Unary> UNARY = List.of(
            new Unary("negative", "x", Tf::neg, "math.negative"),
            new Unary("square", "x", Tf::square, "math.square"),
            new Unary("sqrt", "x", Tf::sqrt, "math.sqrt"),
            new Unary("abs", "x", Tf::abs, "math.abs"),
            new Unary("relu", "features", Tf::relu, "nn.relu"),
            new Unary("sigmoid", "x", Tf::sigmoid, "nn.sigmoid", "math.sigmoid"),
            new Unary("tanh", "x", Tf::tanh, "nn.tanh", "math.tanh"),
            new Unary("exp", "x", Tf::exp, "math.exp"),
            new Unary("log", "x", Tf::log, "math.log"));

    /** An unknown ({@code None}) dimension, bound when the graph is run or compiled. */
    public static final int NONE = Shape.UNKNOWN;

    private final GraphBuilder b;
    private final Ops o;
    private final Nn nn = new Nn(this);
    private final Randoms random = new Randoms(this);
    private final Train train = new Train(this);
    private final TfMath math = new TfMath(this);

    /** A builder whose nodes are attributed to the Java file and line that call it. */
    public Tf() {
        this(Callers.position().file());
    }

    /** A builder for a graph from {@code sourceFile}, attributing nodes to the calling Java line. */
    public Tf(String sourceFile) {
        this.b = new GraphBuilder(sourceFile);
        this.o = new Ops(b);
        b.setPosition(Callers::position);
    }

    /** Makes nodes built from now on be attributed to whatever {@code position} says (the text frontend's cursor). */
    public void setPosition(Supplier<SourcePos> position) {
        b.setPosition(position);
    }

    /** A shape; use {@link #NONE} for an unknown dimension. A bad dimension is reported at the caller's line. */
    public static Shape shape(int... dims) {
        if (dims == null) {
            throw new KilnException(Callers.position(), "shape: the dimensions are null");
        }
        try {
            return Shape.of(dims);
        } catch (KilnException e) {
            throw new KilnException(Callers.position(), e.detail(), e);
        }
    }

    // ---- placeholders, variables, constants

    /** A float32 input named {@code name}, fed on each run. */
    public Node placeholder(String name, Shape shape) {
        return placeholder(name, DType.FLOAT32, shape);
    }

    /** An input of {@code dtype} named {@code name}; integers and booleans are held as floats ({@link DType}). */
    public Node placeholder(String name, DType dtype, Shape shape) {
        checkNewName(name);
        given(shape, "placeholder '" + name + "'", "the shape");
        Node n = b.add(new Placeholder(shape, given(dtype, "placeholder '" + name + "'", "the dtype")), name,
                b.currentPosition(), List.of());
        b.bindName(name, n);
        return n;
    }

    /** A variable named {@code name} whose initial value is the value of {@code initialValue}. */
    public Node variable(String name, Node initialValue) {
        checkNewName(name);
        given(initialValue, "variable '" + name + "'", "the initial value");
        if (!initialValue.shape().isKnown()) {
            throw new KilnException(b.currentPosition(), "variable '" + name + "': the initial value's shape "
                    + initialValue.shape() + " is not fully known");
        }
        Node v = b.add(new Variable(initialValue.shape()), name, b.currentPosition(), List.of());
        b.setInitializer(v, initialValue);
        b.bindName(name, v);
        return v;
    }

    /** A variable named {@code name} starting from a given value. */
    public Node variable(String name, Tensor initialValue) {
        checkNewName(name);
        given(initialValue, "variable '" + name + "'", "the initial value");
        return variable(name, constant(initialValue));
    }

    public Node constant(float value) {
        return o.scalar(value);
    }

    public Node constant(Tensor value) {
        return o.constant(given(value, "constant", "the value"));
    }

    /**
     * A constant of {@code shape} holding {@code data} in row-major order (copied), or, when {@code data} has
     * one value, that value everywhere (as {@code tf.constant(5.0, shape=...)}).
     */
    public Node constant(float[] data, Shape shape) {
        given(data, "constant", "the data");
        given(shape, "constant", "the shape");
        try {
            return o.constant(Tensor.laidOut(data, shape));
        } catch (KilnException e) {
            throw new KilnException(b.currentPosition(), "constant: " + e.detail(), e);
        }
    }

    public Node zeros(Shape shape) {
        return o.fill(0f, given(shape, "zeros", "the shape"));
    }

    public Node ones(Shape shape) {
        return o.fill(1f, given(shape, "ones", "the shape"));
    }

    /** Standard normal values, seeded from the run's seed. */
    public Node randomNormal(Shape shape) {
        return randomNormal(shape, 0f, 1f, null);
    }

    /** {@code mean + stddev * N(0,1)}; with a seed the values depend on it alone, else on the run's seed. */
    public Node randomNormal(Shape shape, float mean, float stddev, Long seed) {
        given(shape, "random_normal", "the shape");
        if (stddev < 0) {
            throw new KilnException(b.currentPosition(), "random_normal: stddev must not be negative, got " + stddev);
        }
        long s = seed != null ? seed : random.nextSeedless();
        return b.add(o.made(() -> new RandomNormal(shape, mean, stddev, s, seed != null)));
    }

    // ---- elementwise arithmetic, with NumPy broadcasting

    public Node add(Node x, Node y) {
        return o.add(x, y);
    }

    public Node add(Node x, float y) {
        return o.add(x, o.scalar(y));
    }

    public Node add(float x, Node y) {
        return o.add(o.scalar(x), y);
    }

    public Node sub(Node x, Node y) {
        return o.sub(x, y);
    }

    public Node sub(Node x, float y) {
        return o.sub(x, o.scalar(y));
    }

    public Node sub(float x, Node y) {
        return o.sub(o.scalar(x), y);
    }

    public Node mul(Node x, Node y) {
        return o.mul(x, y);
    }

    public Node mul(Node x, float y) {
        return o.mul(x, o.scalar(y));
    }

    public Node mul(float x, Node y) {
        return o.mul(o.scalar(x), y);
    }

    public Node div(Node x, Node y) {
        return o.div(x, y);
    }

    public Node div(Node x, float y) {
        return o.div(x, o.scalar(y));
    }

    public Node div(float x, Node y) {
        return o.div(o.scalar(x), y);
    }

    public Node neg(Node x) {
        return o.neg(x);
    }

    /** {@code x ** exponent} for a constant exponent. */
    public Node pow(Node x, float exponent) {
        return o.pow(x, exponent);
    }

    public Node square(Node x) {
        return o.square(x);
    }

    /** The absolute value of each element, as {@code tf.abs}. */
    public Node abs(Node x) {
        return o.unary(new Abs(), x);
    }

    /** The square root of each element (NaN below 0), as {@code tf.sqrt}. */
    public Node sqrt(Node x) {
        return o.unary(new Sqrt(), x);
    }

    public Node maximum(Node x, Node y) {
        return o.maximum(x, y);
    }

    public Node minimum(Node x, Node y) {
        return o.minimum(x, y);
    }

    public Node relu(Node x) {
        return o.relu(x);
    }

    public Node sigmoid(Node x) {
        return o.sigmoid(x);
    }

    public Node tanh(Node x) {
        return o.tanh(x);
    }

    public Node exp(Node x) {
        return o.exp(x);
    }

    public Node log(Node x) {
        return o.log(x);
    }

    // ---- products, reductions, shape

    public Node matmul(Node a, Node b) {
        return o.matmul(a, b, false, false);
    }

    public Node matmul(Node a, Node b, boolean transposeA, boolean transposeB) {
        return o.matmul(a, b, transposeA, transposeB);
    }

    /** Sum of all elements. */
    public Node reduceSum(Node x) {
        return reduceSum(x, null, false);
    }

    /** Sum over {@code axes} (all when null; negative counts from the end). */
    public Node reduceSum(Node x, int[] axes, boolean keepDims) {
        return o.reduceSum(operand(x, "reduce_sum"), axes, keepDims);
    }

    /** Maximum over {@code axes} (all when null; negative counts from the end), as {@code tf.reduce_max}. */
    public Node reduceMax(Node x, int[] axes, boolean keepDims) {
        return o.reduceMax(operand(x, "reduce_max"), axes, keepDims);
    }

    /** Mean of all elements. */
    public Node reduceMean(Node x) {
        return reduceMean(x, null, false);
    }

    public Node reduceMean(Node x, int[] axes, boolean keepDims) {
        return o.reduceMean(operand(x, "reduce_mean"), axes, keepDims);
    }

    /** Reverses the dimensions (a matrix transpose for rank 2). */
    public Node transpose(Node x) {
        return o.transpose(operand(x, "transpose"), null);
    }

    public Node transpose(Node x, int... perm) {
        return o.transpose(operand(x, "transpose"), perm);
    }

    /** The same elements under {@code shape}; one dimension may be -1. */
    public Node reshape(Node x, int... shape) {
        return o.reshape(operand(x, "reshape"), given(shape, "reshape", "the shape"));
    }

    // ---- gradients and assignment

    /** Adds the gradient of {@code y} (summed) with respect to each of {@code xs}, as {@code tf.gradients}. */
    public List<Node> gradients(Node y, Node... xs) {
        return gradients(y, Arrays.asList(given(xs, "gradients", "xs")));
    }

    public List<Node> gradients(Node y, List<Node> xs) {
        operand(y, "gradients");
        for (Node x : given(xs, "gradients", "xs")) {
            operand(x, "gradients");
        }
        return Gradients.of(b, y, xs);
    }

    /** Gives {@code variable} the value of {@code value} when the run ends. */
    public Node assign(Node variable, Node value) {
        operand(variable, "assign");
        if (variable.op().storage() != Op.Storage.STATE) {
            throw new KilnException(b.currentPosition(), Complaints.notAVariable(b.nameOf(variable), variable));
        }
        return o.assign(variable, value);
    }

    // ---- names and the result

    /** Binds {@code name} to {@code node} so it can be fetched by name; returns the node. */
    public Node name(String name, Node node) {
        given(name, "name", "the name");
        operand(node, "name '" + name + "'");
        Node old = b.lookup(name);
        if (old != null && old != node && old.op().isSource() && name.equals(old.name())) {
            throw new KilnException(b.currentPosition(), Complaints.alreadyDefined(name, old));
        }
        b.bindName(name, node);
        return node;
    }

    /** The node bound to {@code name}, or null. */
    public Node lookup(String name) {
        return b.lookup(name);
    }

    /** The neural-network functions, as TensorFlow's {@code tf.nn}: {@code tf.nn().softmax(logits)}. */
    public Nn nn() {
        return nn;
    }

    /** The random initializers, as {@code tf.random_uniform} and {@code tf.truncated_normal}: {@code tf.random()}. */
    public Randoms random() {
        return random;
    }

    /** Comparisons, {@code argmax} and {@code cast}, as TensorFlow's {@code tf.math}: {@code tf.math().argmax(logits, 1)}. */
    public TfMath math() {
        return math;
    }

    /** The optimizers, as TensorFlow's {@code tf.train}: {@code tf.train().gradientDescent(0.5f).minimize(loss)}. */
    public Train train() {
        return train;
    }

    /** The node builder every function uses. */
    Ops ops() {
        return o;
    }

    public GraphBuilder builder() {
        return b;
    }

    /** The graph built so far. */
    public Graph build() {
        return b.build();
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty()) {
            throw new KilnException(b.currentPosition(), "placeholders and variables need a name, got "
                    + (name == null ? "null" : "an empty string"));
        }
        Node old = b.lookup(name);
        if (old != null && old.op().isSource()) {
            throw new KilnException(b.currentPosition(), Complaints.alreadyDefined(name, old));
        }
    }

    /** {@code x}, unless it is null: then a complaint that {@code op} got a null operand. */
    Node operand(Node x, String op) {
        if (x == null) {
            throw new KilnException(b.currentPosition(), op + ": an operand is null");
        }
        return x;
    }

    /** {@code v}, unless it is null: then a complaint that {@code op}'s {@code what} is null. */
    private <T> T given(T v, String op, String what) {
        if (v == null) {
            throw new KilnException(b.currentPosition(), op + ": " + what + " is null");
        }
        return v;
    }
}
