package dev.kiln.compiled;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Small training graphs, one per op (and per variant of it) reachable from {@link Tf}: variables feed the
 * op, the loss is {@code reduce_mean((out - target)^2)}, and every variable is updated by
 * {@code assign(w, w - lr * grad)}. Shared by the differential tests and the generated-class checks.
 */
public final class OpCatalog {
    /** Learning rate of the SGD steps: small enough that 5 steps stay well away from any instability. */
    public static final float LR = 0.05f;

    private OpCatalog() {}

    /** What a case's body builds with: the graph builder, and variables and feeds with seeded values. */
    public static final class Ctx {
        public final Tf tf;
        private final Random random;
        final Map<String, Tensor> feeds = new LinkedHashMap<>();
        final List<Node> variables = new ArrayList<>();
        int batch = 1;

        Ctx(Tf tf, long seed) {
            this.tf = tf;
            this.random = new Random(seed);
        }

        private Tensor uniform(float lo, float hi, int... dims) {
            Shape s = Shape.of(dims);
            float[] d = new float[s.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = lo + (hi - lo) * random.nextFloat();
            }
            return new Tensor(s, d);
        }

        /** A variable with values in [-1, 1). */
        public Node var(String name, int... dims) {
            Node v = tf.variable(name, uniform(-1f, 1f, dims));
            variables.add(v);
            return v;
        }

        /** A variable with values in [0.5, 2): for log, division and fractional powers. */
        public Node posVar(String name, int... dims) {
            Node v = tf.variable(name, uniform(0.5f, 2f, dims));
            variables.add(v);
            return v;
        }

        /** A variable initialized by {@code random_normal} from the session's seed. */
        public Node normalVar(String name, float stddev, int... dims) {
            Node v = tf.variable(name, tf.randomNormal(Shape.of(dims), 0f, stddev, null));
            variables.add(v);
            return v;
        }

        /** A placeholder fed values in [-1, 1). */
        public Node feed(String name, int... dims) {
            feeds.put(name, uniform(-1f, 1f, dims));
            return tf.placeholder(name, Shape.of(dims));
        }

        /** A placeholder fed values in [0.5, 2). */
        public Node posFeed(String name, int... dims) {
            feeds.put(name, uniform(0.5f, 2f, dims));
            return tf.placeholder(name, Shape.of(dims));
        }

        /** A placeholder of shape {@code [None] + rest}, fed {@code [batch] + rest}; the graph is bound to batch. */
        public Node batchFeed(String name, int batch, int... rest) {
            int[] full = new int[rest.length + 1];
            int[] declared = new int[rest.length + 1];
            full[0] = batch;
            declared[0] = Tf.NONE;
            System.arraycopy(rest, 0, full, 1, rest.length);
            System.arraycopy(rest, 0, declared, 1, rest.length);
            this.batch = batch;
            feeds.put(name, uniform(-1f, 1f, full));
            return tf.placeholder(name, Tf.shape(declared));
        }

        /** A placeholder of shape {@code [None, None]}, fed {@code [batch, batch]}; the graph is bound to batch. */
        public Node squareBatchFeed(String name, int batch) {
            this.batch = batch;
            feeds.put(name, uniform(-1f, 1f, batch, batch));
            return tf.placeholder(name, Tf.shape(Tf.NONE, Tf.NONE));
        }

        /** A placeholder of {@code shape}, whose unknown dimension is the batch, fed values in [-1, 1). */
        public Node feedLike(String name, Shape shape) {
            int[] full = shape.bindUnknown(batch).dims();
            feeds.put(name, uniform(-1f, 1f, full));
            return tf.placeholder(name, shape);
        }

        /** An integer placeholder of {@code dtype} fed classes in [0, classes), as labels are. */
        public Node labels(String name, DType dtype, int classes, int... dims) {
            Tensor t = uniform(0f, classes, dims);
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.min(classes - 1, (float) Math.floor(d[i]));
            }
            feeds.put(name, t);
            return tf.placeholder(name, dtype, Shape.of(dims));
        }

        /** A constant with values in [-1, 1). */
        public Node constant(int... dims) {
            return tf.constant(uniform(-1f, 1f, dims));
        }
    }

    /**
     * A training case: {@code body} builds the output from variables and feeds; the loss is
     * {@code reduce_mean((out - target)^2)} fetched as {@code loss}, and each variable gets an SGD update.
     */
    public static Differential.Case training(String name, Function<Ctx, Node> body) {
        Tf tf = new Tf();
        Ctx c = new Ctx(tf, name.hashCode());
        Node out = body.apply(c);
        Node target = c.feedLike("target", out.shape());
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(out, target))));
        List<Node> grads = tf.gradients(loss, c.variables);
        for (int i = 0; i < grads.size(); i++) {
            Node w = c.variables.get(i);
            tf.name("new_" + w.name(), tf.assign(w, tf.sub(w, tf.mul(LR, grads.get(i)))));
        }
        Graph g = tf.build().bind(c.batch);
        return new Differential.Case(name, g, List.of("loss"), g.sideEffects(), Map.copyOf(c.feeds));
    }

    /**
     * As {@link #training}, but the variables are trained by {@code optimizer} (its {@code minimize}), whose
     * slots and step count are variables too: an optimizer's update whose gradient is a product becomes a
     * {@code matmul_update}.
     */
    public static Differential.Case trainedWith(String name, Function<Tf, dev.kiln.dsl.Optimizer> optimizer,
            Function<Ctx, Node> body) {
        Tf tf = new Tf();
        Ctx c = new Ctx(tf, name.hashCode());
        Node out = body.apply(c);
        Node target = c.feedLike("target", out.shape());
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(out, target))));
        optimizer.apply(tf).minimize(loss);
        Graph g = tf.build().bind(c.batch);
        return new Differential.Case(name, g, List.of("loss"), g.sideEffects(), Map.copyOf(c.feeds));
    }

    // ---------------------------------------------------------------- the cases

    /** Every case, for the checks that run them all. */
    public static List<Differential.Case> all() {
        List<Differential.Case> all = new ArrayList<>();
        all.addAll(unary());
        all.addAll(binary());
        all.addAll(scalarOperands());
        all.addAll(matmuls());
        all.addAll(reductions());
        all.addAll(transposes());
        all.addAll(reshapes());
        all.addAll(composites());
        return all;
    }

    /** Exponents of pow applied to values of either sign. */
    static final float[] SIGNED_EXPONENTS = {2f, 3f, 1f, 0f, 4f, -2f};
    /** Exponents of pow applied to positive values only. */
    static final float[] POSITIVE_EXPONENTS = {0.5f, -1f, 1.5f, -2.5f, 2.2f, 1f / 3f};

    public static List<Differential.Case> unary() {
        List<Differential.Case> cases = new ArrayList<>();
        Map<String, BiFunction<Tf, Node, Node>> signed = new LinkedHashMap<>();
        signed.put("neg", Tf::neg);
        signed.put("abs", Tf::abs);
        signed.put("square", Tf::square);
        signed.put("relu", Tf::relu);
        signed.put("sigmoid", Tf::sigmoid);
        signed.put("tanh", Tf::tanh);
        signed.put("exp", Tf::exp);
        for (float e : SIGNED_EXPONENTS) {
            signed.put("pow_" + e, (tf, x) -> tf.pow(x, e));
        }
        for (Map.Entry<String, BiFunction<Tf, Node, Node>> op : signed.entrySet()) {
            // on an elementwise product (fused with its neighbours) and on the variable itself
            cases.add(training(op.getKey() + "(w*x)", c -> op.getValue().apply(c.tf, c.tf.mul(c.var("w", 3, 4), c.feed("x", 3, 4)))));
            cases.add(training(op.getKey() + "(w)", c -> op.getValue().apply(c.tf, c.var("w", 2, 5))));
        }
        Map<String, BiFunction<Tf, Node, Node>> positive = new LinkedHashMap<>();
        positive.put("log", Tf::log);
        positive.put("sqrt", Tf::sqrt);
        for (float e : POSITIVE_EXPONENTS) {
            positive.put("pow_" + e, (tf, x) -> tf.pow(x, e));
        }
        for (Map.Entry<String, BiFunction<Tf, Node, Node>> op : positive.entrySet()) {
            cases.add(training(op.getKey() + "(w*x), positive",
                    c -> op.getValue().apply(c.tf, c.tf.mul(c.posVar("w", 3, 4), c.posFeed("x", 3, 4)))));
            cases.add(training(op.getKey() + "(w), positive", c -> op.getValue().apply(c.tf, c.posVar("w", 4))));
        }
        // relu away from its kink, in a chain
        cases.add(training("relu(tanh(w) + x)", c -> c.tf.relu(c.tf.add(c.tf.tanh(c.var("w", 4, 3)), c.feed("x", 4, 3)))));
        return cases;
    }

    /** The shapes of the two operands of the binary-op cases: equal, the four broadcasts, and rank 3. */
    static final int[][][] BINARY_SHAPES = {
        {{3, 4}, {3, 4}},
        {{3, 4}, {4}},
        {{3, 4}, {3, 1}},
        {{3, 4}, {1}},
        {{3, 4}, {}},
        {{4}, {3, 4}},
        {{3, 1}, {3, 4}},
        {{}, {3, 4}},
        {{3, 1}, {1, 4}},
        {{2, 3, 4}, {3, 1}},
        {{2, 1, 4}, {2, 3, 1}},
        {{1}, {2, 3}},
        {{}, {}},
    };

    /** The broadcasting binary ops, by name. */
    public static Map<String, BiFunction<Tf, Node[], Node>> binaryOps() {
        Map<String, BiFunction<Tf, Node[], Node>> ops = new LinkedHashMap<>();
        ops.put("add", (tf, ab) -> tf.add(ab[0], ab[1]));
        ops.put("sub", (tf, ab) -> tf.sub(ab[0], ab[1]));
        ops.put("mul", (tf, ab) -> tf.mul(ab[0], ab[1]));
        ops.put("div", (tf, ab) -> tf.div(ab[0], ab[1]));
        ops.put("maximum", (tf, ab) -> tf.maximum(ab[0], ab[1]));
        ops.put("minimum", (tf, ab) -> tf.minimum(ab[0], ab[1]));
        return ops;
    }

    public static List<Differential.Case> binary() {
        List<Differential.Case> cases = new ArrayList<>();
        for (Map.Entry<String, BiFunction<Tf, Node[], Node>> op : binaryOps().entrySet()) {
            boolean div = op.getKey().equals("div");
            for (int[][] shapes : BINARY_SHAPES) {
                String s = Arrays.toString(shapes[0]) + " " + Arrays.toString(shapes[1]);
                // both operands variables: the gradient is summed back over the broadcast dimensions of each
                cases.add(training(op.getKey() + " " + s, c -> op.getValue().apply(c.tf, new Node[] {
                    c.var("a", shapes[0]), div ? c.posVar("b", shapes[1]) : c.var("b", shapes[1])})));
                // a variable and a feed, each way round
                cases.add(training(op.getKey() + " " + s + ", b fed", c -> op.getValue().apply(c.tf, new Node[] {
                    c.var("a", shapes[0]), div ? c.posFeed("b", shapes[1]) : c.feed("b", shapes[1])})));
                cases.add(training(op.getKey() + " " + s + ", a fed", c -> op.getValue().apply(c.tf, new Node[] {
                    c.feed("a", shapes[0]), div ? c.posVar("b", shapes[1]) : c.var("b", shapes[1])})));
            }
        }
        return cases;
    }

    /** Java float operands and constant tensors, which the optimizer turns into literals and canonical forms. */
    public static List<Differential.Case> scalarOperands() {
        List<Differential.Case> cases = new ArrayList<>();
        cases.add(training("w + 1.5", c -> c.tf.add(c.var("w", 3, 4), 1.5f)));
        cases.add(training("1.5 + w", c -> c.tf.add(1.5f, c.var("w", 3, 4))));
        cases.add(training("w - 0.5", c -> c.tf.sub(c.var("w", 3, 4), 0.5f)));
        cases.add(training("2 - w", c -> c.tf.sub(2f, c.var("w", 3, 4))));
        cases.add(training("w * 3", c -> c.tf.mul(c.var("w", 3, 4), 3f)));
        cases.add(training("-0.5 * w", c -> c.tf.mul(-0.5f, c.var("w", 3, 4))));
        cases.add(training("w / 4", c -> c.tf.div(c.var("w", 3, 4), 4f)));
        cases.add(training("1 / w", c -> c.tf.div(1f, c.posVar("w", 3, 4))));
        cases.add(training("-(-(w))", c -> c.tf.neg(c.tf.neg(c.var("w", 3, 4)))));
        cases.add(training("w * 1 + 0 - 0", c -> c.tf.sub(c.tf.add(c.tf.mul(c.var("w", 3, 4), 1f), 0f), 0f)));
        cases.add(training("2 * (3 * (x * w))", c -> c.tf.mul(2f, c.tf.mul(3f, c.tf.mul(c.feed("x", 3, 4), c.var("w", 3, 4))))));
        cases.add(training("w - (-2 * x)", c -> c.tf.sub(c.var("w", 3, 4), c.tf.mul(-2f, c.feed("x", 3, 4)))));
        cases.add(training("w + (-1 * x)", c -> c.tf.add(c.var("w", 3, 4), c.tf.mul(-1f, c.feed("x", 3, 4)))));
        cases.add(training("maximum(w, zeros[1])", c -> c.tf.maximum(c.var("w", 3, 4), c.tf.zeros(Tf.shape(1)))));
        cases.add(training("maximum(zeros[3,4], w)", c -> c.tf.maximum(c.tf.zeros(Tf.shape(3, 4)), c.var("w", 3, 4))));
        cases.add(training("maximum(w, 0.25)", c -> c.tf.maximum(c.var("w", 3, 4), c.tf.constant(0.25f))));
        cases.add(training("minimum(w, 0)", c -> c.tf.minimum(c.var("w", 3, 4), c.tf.constant(0f))));
        cases.add(training("minimum(-0.2, w)", c -> c.tf.minimum(c.tf.constant(-0.2f), c.var("w", 3, 4))));
        cases.add(training("w + ones[3,4]", c -> c.tf.add(c.var("w", 3, 4), c.tf.ones(Tf.shape(3, 4)))));
        cases.add(training("w * ones[2,3,4]", c -> c.tf.mul(c.var("w", 3, 4), c.tf.ones(Tf.shape(2, 3, 4)))));
        cases.add(training("w * constant[4]", c -> c.tf.mul(c.var("w", 3, 4), c.constant(4))));
        cases.add(training("constant[3,1] - w", c -> c.tf.sub(c.constant(3, 1), c.var("w", 3, 4))));
        cases.add(training("w * random_normal[3,4]", c -> c.tf.mul(c.var("w", 3, 4), c.tf.randomNormal(Tf.shape(3, 4)))));
        cases.add(training("w * random_uniform[3,4] + truncated_normal[4]", c -> c.tf.add(
                c.tf.mul(c.var("w", 3, 4), c.tf.random().uniform(Tf.shape(3, 4), -1f, 1f, null)),
                c.tf.random().truncatedNormal(Tf.shape(4), 0f, 0.1f, null))));
        cases.add(training("random_normal var", c -> c.tf.tanh(c.tf.mul(c.normalVar("w", 0.5f, 3, 4), c.feed("x", 3, 4)))));
        return cases;
    }

    /**
     * For each (m, k, n) and each combination of transposes: a product of a feed and a variable each way
     * round, of two variables, and one finished by a fused epilogue.
     */
    public static List<Differential.Case> products(int[][] sizes) {
        List<Differential.Case> cases = new ArrayList<>();
        for (int[] mkn : sizes) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 2) != 0;
                boolean tb = (t & 1) != 0;
                int[] aShape = ta ? new int[] {k, m} : new int[] {m, k};
                int[] bShape = tb ? new int[] {n, k} : new int[] {k, n};
                String s = "matmul m=" + m + " k=" + k + " n=" + n + (ta ? " ta" : "") + (tb ? " tb" : "");
                cases.add(training(s + ", x @ w", c -> c.tf.matmul(c.feed("x", aShape), c.var("w", bShape), ta, tb)));
                cases.add(training(s + ", w @ x", c -> c.tf.matmul(c.var("w", aShape), c.feed("x", bShape), ta, tb)));
                cases.add(training(s + ", a @ b", c -> c.tf.matmul(c.var("a", aShape), c.var("b", bShape), ta, tb)));
                // an epilogue, so the product is finished by a fused kernel
                cases.add(training(s + ", tanh(x @ w + b)", c -> c.tf.tanh(c.tf.add(
                        c.tf.matmul(c.feed("x", aShape), c.var("w", bShape), ta, tb), c.var("bias", n)))));
            }
        }
        return cases;
    }

    /**
     * Matrix shapes (m, k, n): N below, at and above the 16-column tile (one tile, a tile and a rest, several
     * tiles with and without a rest), K below 8 and from 8 (the dot product's four lanes and its tail).
     */
    static final int[][] MATMUL_SIZES = {{3, 5, 4}, {4, 9, 6}, {3, 6, 20}, {2, 10, 17}, {5, 8, 16}, {1, 1, 1}, {2, 3, 32},
        {3, 11, 33}, {2, 7, 1}};

    public static List<Differential.Case> matmuls() {
        List<Differential.Case> cases = products(MATMUL_SIZES);
        // transposes written as ops, folded into the product's flags
        cases.add(training("matmul(transpose(x), w)", c -> c.tf.matmul(c.tf.transpose(c.feed("x", 5, 3)), c.var("w", 5, 4))));
        cases.add(training("matmul(x, transpose(w))", c -> c.tf.matmul(c.feed("x", 3, 9), c.tf.transpose(c.var("w", 18, 9)))));
        cases.add(training("matmul(transpose(w), transpose(x))",
                c -> c.tf.matmul(c.tf.transpose(c.var("w", 4, 3)), c.tf.transpose(c.feed("x", 20, 4)))));
        cases.add(training("transpose(matmul(x, w))", c -> c.tf.transpose(c.tf.matmul(c.feed("x", 3, 5), c.var("w", 5, 4)))));
        cases.add(training("matmul(2 * x, 3 * w)", c -> c.tf.matmul(c.tf.mul(2f, c.feed("x", 3, 5)), c.tf.mul(c.var("w", 5, 4), 3f))));
        cases.add(training("matmul(x, w), None batch", c -> c.tf.matmul(c.batchFeed("x", 6, 5), c.var("w", 5, 18))));
        cases.add(training("x @ w @ v", c -> c.tf.matmul(c.tf.matmul(c.feed("x", 3, 5), c.var("w", 5, 17)), c.var("v", 17, 2))));
        cases.add(training("matmul(w, w)", c -> {
            Node w = c.var("w", 4, 4);
            return c.tf.matmul(w, w);
        }));
        cases.add(training("matmul(w, w, tb)", c -> {
            Node w = c.var("w", 3, 18);
            return c.tf.matmul(w, w, false, true);
        }));
        cases.add(training("relu(x @ w)", c -> c.tf.relu(c.tf.matmul(c.feed("x", 4, 6), c.var("w", 6, 20)))));
        cases.add(training("sigmoid(x @ w) * x2", c -> c.tf.mul(c.tf.sigmoid(c.tf.matmul(c.feed("x", 4, 6), c.var("w", 6, 3))),
                c.feed("x2", 4, 1))));
        cases.add(training("x @ w - y, minimum", c -> c.tf.minimum(c.tf.sub(c.tf.matmul(c.feed("x", 4, 9), c.var("w", 9, 3)),
                c.feed("y", 3)), c.var("cap", 1))));
        cases.addAll(optimizedProducts());
        return cases;
    }

    /**
     * Products whose variables an optimizer with slots trains, each update folded with its gradient's product
     * ({@code matmul_update}): a gradient of more rows than one block of the vector backend's step (and a
     * partial last block), narrower than a vector, of transposed factors, a None batch, a chain, and a
     * product of the variable with itself (left unfolded: the step would overwrite what it reads).
     */
    static List<Differential.Case> optimizedProducts() {
        List<Differential.Case> cases = new ArrayList<>();
        Function<Tf, dev.kiln.dsl.Optimizer> adam = tf -> tf.train().adam(0.01f);
        cases.add(trainedWith("adam: x @ w, 100 x 50", adam, c -> c.tf.matmul(c.feed("x", 7, 100), c.var("w", 100, 50))));
        cases.add(trainedWith("adam: x @ w, narrow", adam, c -> c.tf.matmul(c.feed("x", 5, 13), c.var("w", 13, 3))));
        cases.add(trainedWith("adam: x @ transpose(w)", adam, c -> c.tf.matmul(c.feed("x", 3, 9), c.tf.transpose(c.var("w", 18, 9)))));
        cases.add(trainedWith("adam: transpose(w) @ x", adam, c -> c.tf.matmul(c.tf.transpose(c.var("w", 11, 4)), c.feed("x", 11, 17))));
        cases.add(trainedWith("adam: relu(x @ w + b) @ v, None batch", adam, c -> c.tf.matmul(c.tf.relu(c.tf.add(
                c.tf.matmul(c.batchFeed("x", 6, 20), c.var("w", 20, 24)), c.var("b", 24))), c.var("v", 24, 10))));
        cases.add(trainedWith("adam: matmul(w, w)", adam, c -> {
            Node w = c.var("w", 4, 4);
            return c.tf.matmul(w, w);
        }));
        cases.add(trainedWith("momentum: x @ w", tf -> tf.train().momentum(0.05f, 0.9f, true),
                c -> c.tf.matmul(c.feed("x", 4, 30), c.var("w", 30, 12))));
        cases.add(trainedWith("rmsprop: x @ w", tf -> tf.train().rmsProp(0.01f),
                c -> c.tf.matmul(c.feed("x", 4, 8), c.var("w", 8, 19))));
        return cases;
    }

    static final int[][] AXES_RANK3 = {null, {0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {0, 1}, {0, 1, 2}, {-3, -1}};
    static final int[][] AXES_RANK2 = {null, {0}, {1}, {-1}, {0, 1}};

    public static List<Differential.Case> reductions() {
        List<Differential.Case> cases = new ArrayList<>();
        for (boolean mean : new boolean[] {false, true}) {
            for (boolean keep : new boolean[] {false, true}) {
                String op = (mean ? "reduce_mean" : "reduce_sum") + (keep ? " keepdims" : "");
                for (int[] axes : AXES_RANK3) {
                    String s = op + " " + Arrays.toString(axes);
                    cases.add(training(s + " of w[2,3,4]", c -> reduce(c.tf, mean, c.var("w", 2, 3, 4), axes, keep)));
                    cases.add(training(s + " of w*x [2,3,4]",
                            c -> reduce(c.tf, mean, c.tf.mul(c.var("w", 2, 3, 4), c.feed("x", 2, 3, 4)), axes, keep)));
                }
                for (int[] axes : AXES_RANK2) {
                    String s = op + " " + Arrays.toString(axes);
                    cases.add(training(s + " of w[3,5]", c -> reduce(c.tf, mean, c.var("w", 3, 5), axes, keep)));
                    cases.add(training(s + " of exp(w)+x [3,5], x[5]",
                            c -> reduce(c.tf, mean, c.tf.add(c.tf.exp(c.var("w", 3, 5)), c.feed("x", 5)), axes, keep)));
                }
                cases.add(training(op + " [0] of w[7]", c -> reduce(c.tf, mean, c.var("w", 7), new int[] {0}, keep)));
                cases.add(training(op + " [1] of w[3,1,2]", c -> reduce(c.tf, mean, c.var("w", 3, 1, 2), new int[] {1}, keep)));
                cases.add(training(op + " [0,2] of w[9,2,11]", c -> reduce(c.tf, mean, c.var("w", 9, 2, 11), new int[] {0, 2}, keep)));
            }
        }
        cases.add(training("reduce_sum(w) * x", c -> c.tf.mul(c.tf.reduceSum(c.var("w", 3, 4)), c.feed("x", 2, 2))));
        for (int[] axes : AXES_RANK3) {
            cases.add(training("reduce_max " + Arrays.toString(axes) + " of w*x [2,3,4]",
                    c -> c.tf.reduceMax(c.tf.mul(c.var("w", 2, 3, 4), c.feed("x", 2, 3, 4)), axes, false)));
        }
        cases.add(training("softmax(x @ w + b)", c -> c.tf.nn().softmax(
                c.tf.add(c.tf.matmul(c.feed("x", 4, 6), c.var("w", 6, 5)), c.var("b", 5)))));
        cases.add(training("sigmoid cross-entropy(labels, x @ w)", c -> c.tf.nn().sigmoidCrossEntropyWithLogits(
                c.posFeed("labels", 4, 3), c.tf.matmul(c.feed("x", 4, 6), c.var("w", 6, 3)))));
        cases.add(training("log_softmax(w * x)", c -> c.tf.nn().logSoftmax(c.tf.mul(c.var("w", 3, 4), c.feed("x", 3, 4)))));
        cases.add(training("softmax cross-entropy (v2) of labels*w, x @ v", c -> c.tf.nn().softmaxCrossEntropyWithLogits(
                c.tf.nn().softmax(c.var("l", 4, 5)), c.tf.matmul(c.feed("x", 4, 6), c.var("v", 6, 5)))));
        cases.add(training("softmax cross-entropy (v1), batch None", c -> {
            Node x = c.batchFeed("x", 6, 7);
            return c.tf.nn().softmaxCrossEntropyWithLogitsV1(c.feedLike("labels", Tf.shape(Tf.NONE, 5)),
                    c.tf.matmul(x, c.var("w", 7, 5)));
        }));
        cases.add(training("sparse softmax cross-entropy(labels, x @ w)", c -> c.tf.nn().sparseSoftmaxCrossEntropyWithLogits(
                c.labels("labels", DType.INT64, 5, 4), c.tf.matmul(c.feed("x", 4, 6), c.var("w", 6, 5)))));
        cases.add(training("sparse softmax cross-entropy, int32 labels [2,3], logits [2,3,4]", c -> c.tf.nn()
                .sparseSoftmaxCrossEntropyWithLogits(c.labels("labels", DType.INT32, 4, 2, 3),
                        c.tf.mul(c.var("w", 2, 3, 4), c.feed("x", 2, 3, 4)))));
        cases.add(training("w * (argmax(x @ v, 1) == labels)", c -> {
            Node predicted = c.tf.math().argmax(c.tf.matmul(c.feed("x", 5, 3), c.constant(3, 4)), 1);
            Node right = c.tf.math().cast(c.tf.math().equal(predicted, c.labels("labels", DType.INT64, 4, 5)), DType.FLOAT32);
            return c.tf.mul(c.var("w", 5), right);
        }));
        for (int axis : new int[] {0, 1, -1}) {
            cases.add(training("w * argmax(x, " + axis + ") of [2,3,4], int32", c -> c.tf.mul(c.var("w", 1),
                    c.tf.math().cast(c.tf.math().argmax(c.feed("x", 2, 3, 4), axis, DType.INT32), DType.FLOAT32))));
        }
        cases.add(training("w + cast(cast(3 * w * x, int32), float32) + cast(w > x, float32) * w", c -> {
            Node w = c.var("w", 3, 4);
            Node x = c.feed("x", 3, 4);
            Node truncated = c.tf.math().cast(c.tf.math().cast(c.tf.mul(3f, c.tf.mul(w, x)), DType.INT32), DType.FLOAT32);
            Node mask = c.tf.math().cast(c.tf.math().greater(w, x), DType.FLOAT32);
            return c.tf.add(c.tf.add(w, truncated), c.tf.mul(mask, w));
        }));
        cases.add(training("cast(w != x, bool) and not_equal, less_equal masks", c -> {
            Node w = c.var("w", 2, 3);
            Node x = c.feed("x", 2, 3);
            Node ne = c.tf.math().cast(c.tf.math().notEqual(c.tf.math().cast(w, DType.BOOL), c.tf.math().lessEqual(w, x)),
                    DType.FLOAT32);
            return c.tf.mul(w, ne);
        }));
        cases.add(training("dropout(x @ w, 0.5), batch None", c -> {
            Node x = c.batchFeed("x", 6, 4);
            return c.tf.nn().dropout(c.tf.matmul(x, c.var("w", 4, 3)), c.tf.constant(0.5f), 11L);
        }));
        // not linear: canonicalize must not move the -2 out (max(-2w) is -2 min(w))
        cases.add(training("reduce_max(-2 * w, [1])", c -> c.tf.reduceMax(c.tf.mul(-2f, c.var("w", 3, 4)), new int[] {1}, false)));
        cases.add(training("w - reduce_max(w, [1], keepdims)", c -> {
            Node w = c.var("w", 3, 4);
            return c.tf.sub(w, c.tf.reduceMax(w, new int[] {1}, true));
        }));
        cases.add(training("w - reduce_mean(w, [1], keepdims)", c -> {
            Node w = c.var("w", 3, 4);
            return c.tf.sub(w, c.tf.reduceMean(w, new int[] {1}, true));
        }));
        cases.add(training("softmax rows", c -> {
            Node e = c.tf.exp(c.tf.mul(c.var("w", 3, 5), c.feed("x", 3, 5)));
            return c.tf.div(e, c.tf.reduceSum(e, new int[] {1}, true));
        }));
        return cases;
    }

    private static Node reduce(Tf tf, boolean mean, Node x, int[] axes, boolean keep) {
        return mean ? tf.reduceMean(x, axes, keep) : tf.reduceSum(x, axes, keep);
    }

    static final int[][] PERMS_RANK3 = {null, {0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    static final int[][] PERMS_RANK2 = {null, {1, 0}, {0, 1}};

    public static List<Differential.Case> transposes() {
        List<Differential.Case> cases = new ArrayList<>();
        for (int[] perm : PERMS_RANK2) {
            String s = "transpose " + Arrays.toString(perm);
            cases.add(training(s + " of w[3,5]", c -> transpose(c.tf, c.var("w", 3, 5), perm)));
            cases.add(training(s + " of w*x [3,5]", c -> transpose(c.tf, c.tf.mul(c.var("w", 3, 5), c.feed("x", 3, 5)), perm)));
        }
        for (int[] perm : PERMS_RANK3) {
            String s = "transpose " + Arrays.toString(perm);
            cases.add(training(s + " of w[2,3,4]", c -> transpose(c.tf, c.var("w", 2, 3, 4), perm)));
            cases.add(training(s + " of w*x [2,3,4], then * y",
                    c -> {
                        Node t = transpose(c.tf, c.tf.mul(c.var("w", 2, 3, 4), c.feed("x", 2, 3, 4)), perm);
                        return c.tf.mul(t, c.feed("y", t.shape().dims()));
                    }));
            cases.add(training(s + " of w[2,1,5]", c -> transpose(c.tf, c.var("w", 2, 1, 5), perm)));
        }
        cases.add(training("transpose(transpose(w, [1,2,0]), [1,2,0])",
                c -> c.tf.transpose(c.tf.transpose(c.var("w", 2, 3, 4), 1, 2, 0), 1, 2, 0)));
        cases.add(training("transpose(transpose(w))", c -> c.tf.transpose(c.tf.transpose(c.var("w", 3, 4)))));
        return cases;
    }

    private static Node transpose(Tf tf, Node x, int[] perm) {
        return perm == null ? tf.transpose(x) : tf.transpose(x, perm);
    }

    public static List<Differential.Case> reshapes() {
        List<Differential.Case> cases = new ArrayList<>();
        cases.add(training("reshape(w, -1)", c -> c.tf.reshape(c.var("w", 3, 4), -1)));
        cases.add(training("reshape(w*x, 4, 3)", c -> c.tf.reshape(c.tf.mul(c.var("w", 3, 4), c.feed("x", 3, 4)), 4, 3)));
        cases.add(training("reshape(w, 2, -1)", c -> c.tf.reshape(c.var("w", 3, 4), 2, -1)));
        cases.add(training("reshape(w, -1, 2, 3)", c -> c.tf.reshape(c.var("w", 3, 4), -1, 2, 3)));
        cases.add(training("reshape(w[2,3,4], 6, 4) @ v", c -> c.tf.matmul(c.tf.reshape(c.var("w", 2, 3, 4), 6, 4), c.var("v", 4, 3))));
        cases.add(training("reshape(w[12], 3, 4) * x[4]", c -> c.tf.mul(c.tf.reshape(c.var("w", 12), 3, 4), c.feed("x", 4))));
        cases.add(training("reshape(w, 1, 12) to scalar-ish", c -> c.tf.reshape(c.tf.reshape(c.var("w", 3, 4), 1, 12), 12, 1)));
        cases.add(training("reshape(reshape(x[None,6], -1, 3) @ w, -1, 4)",
                c -> c.tf.reshape(c.tf.matmul(c.tf.reshape(c.batchFeed("x", 4, 6), -1, 3), c.var("w", 3, 2)), -1, 4)));
        cases.add(training("reshape(w[1], []) scalar", c -> c.tf.mul(c.tf.reshape(c.var("w", 1)), c.feed("x", 2, 3))));
        cases.add(training("reshape(tanh(w), 3, 4) + w2", c -> c.tf.add(c.tf.reshape(c.tf.tanh(c.var("w", 12)), 3, 4), c.var("w2", 3, 4))));
        cases.add(training("transpose(reshape(w, 2, 6))", c -> c.tf.transpose(c.tf.reshape(c.var("w", 3, 4), 2, 6))));
        // two unknown dimensions: the gradient of the reshape is a reshape_like, resolved once bound
        cases.add(training("reduce_sum(reshape(x[None,None] * w[1], -1))",
                c -> c.tf.reduceSum(c.tf.reshape(c.tf.mul(c.squareBatchFeed("x", 3), c.var("w", 1)), -1))));
        return cases;
    }

    public static List<Differential.Case> composites() {
        List<Differential.Case> cases = new ArrayList<>();
        cases.add(canonicalSmall());
        // each variable's update reads the other variable: folded, they would have no order
        cases.add(training("w1 @ w2, updates reading each other", c -> c.tf.matmul(c.var("w1", 4, 5), c.var("w2", 5, 3))));
        cases.add(training("mlp bias relu", c -> {
            Node x = c.batchFeed("x", 5, 7);
            Node h = c.tf.relu(c.tf.add(c.tf.matmul(x, c.var("w1", 7, 20)), c.var("b1", 20)));
            return c.tf.add(c.tf.matmul(h, c.var("w2", 20, 3)), c.var("b2", 3));
        }));
        cases.add(training("mlp tanh sigmoid", c -> {
            Node x = c.feed("x", 6, 9);
            Node h = c.tf.tanh(c.tf.add(c.tf.matmul(x, c.var("w1", 9, 8)), c.var("b1", 1, 8)));
            return c.tf.sigmoid(c.tf.add(c.tf.matmul(h, c.var("w2", 8, 2)), c.var("b2", 2)));
        }));
        cases.add(training("logistic regression", c -> {
            Node p = c.tf.sigmoid(c.tf.matmul(c.feed("x", 8, 3), c.var("w", 3, 1)));
            return c.tf.neg(c.tf.reduceMean(c.tf.log(c.tf.add(p, 1e-3f))));
        }));
        cases.add(training("softmax cross entropy", c -> {
            Node logits = c.tf.add(c.tf.matmul(c.feed("x", 4, 6), c.var("w", 6, 5)), c.var("b", 5));
            Node e = c.tf.exp(c.tf.sub(logits, c.tf.reduceSum(logits, new int[] {1}, true)));
            Node p = c.tf.div(e, c.tf.reduceSum(e, new int[] {1}, true));
            return c.tf.reduceMean(c.tf.mul(c.feed("labels", 4, 5), c.tf.neg(c.tf.log(p))), new int[] {0}, false);
        }));
        cases.add(training("shared subexpressions", c -> {
            Node w = c.var("w", 3, 4);
            Node x = c.feed("x", 3, 4);
            Node a = c.tf.mul(w, x);
            Node b = c.tf.tanh(a);
            return c.tf.add(c.tf.mul(b, a), c.tf.mul(c.tf.sigmoid(a), b));
        }));
        cases.add(training("long elementwise chain", c -> {
            Node z = c.tf.mul(c.var("w", 2, 3), c.feed("x", 2, 3));
            for (int i = 0; i < 12; i++) {
                z = i % 3 == 0 ? c.tf.tanh(c.tf.add(z, 0.1f * i)) : i % 3 == 1 ? c.tf.mul(z, 1.1f) : c.tf.sub(z, c.tf.square(z));
            }
            return z;
        }));
        return cases;
    }

    /** The canonical two-layer program, at small sizes. */
    static Differential.Case canonicalSmall() {
        return training("canonical small", c -> {
            Node x = c.batchFeed("x", 8, 30);
            Node w1 = c.normalVar("w1", 0.3f, 30, 20);
            Node w2 = c.normalVar("w2", 0.3f, 20, 4);
            Node h = c.tf.matmul(x, w1);
            Node hRelu = c.tf.maximum(h, c.tf.zeros(Tf.shape(1)));
            return c.tf.matmul(hRelu, w2);
        });
    }
}
