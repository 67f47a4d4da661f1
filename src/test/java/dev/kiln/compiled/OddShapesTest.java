package dev.kiln.compiled;

import static dev.kiln.compiled.OpCatalog.training;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.dsl.Script;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled engine against the interpreter on the shapes loops and tiles are most likely to get wrong:
 * a batch of one, dimensions of 1 everywhere (products of [1,1] and [1,1], a row by a column, an outer
 * product), scalars (placeholders and variables of shape [], arithmetic and gradients on them), and
 * reductions over axes of size 1 (or over no axis at all), each as a small training graph run 5 SGD steps
 * (see {@link OpCatalog#training}). CI runs it on both backends.
 */
class OddShapesTest {
    /** (m, k, n) with ones in every position, and a row or column against a large matrix (vector kernels). */
    static final int[][] MATMUL_SIZES = {{1, 1, 1}, {1, 5, 1}, {5, 1, 4}, {1, 1, 17}, {17, 1, 1}, {1, 40, 33},
        {33, 40, 1}, {1, 20, 1}};

    static Stream<Differential.Case> matmuls() {
        List<Differential.Case> cases = OpCatalog.products(MATMUL_SIZES);
        cases.add(training("x[None,5] @ w at batch 1", c -> c.tf.matmul(c.batchFeed("x", 1, 5), c.var("w", 5, 3))));
        cases.add(training("x[None,1] @ w[1,1] at batch 1", c -> c.tf.matmul(c.batchFeed("x", 1, 1), c.var("w", 1, 1))));
        cases.add(training("x[None,4] @ w[4,40] @ v[40,1] at batch 1",
                c -> c.tf.matmul(c.tf.tanh(c.tf.matmul(c.batchFeed("x", 1, 4), c.var("w", 4, 40))), c.var("v", 40, 1))));
        cases.add(training("w[1,1] @ w[1,1]", c -> {
            Node w = c.var("w", 1, 1);
            return c.tf.matmul(w, w);
        }));
        return cases.stream();
    }

    /** Operand shapes made of ones, against each other, against scalars, and broadcast against larger ones. */
    static final int[][][] ONES = {
        {{1}, {1}},
        {{1, 1}, {}},
        {{}, {1, 1}},
        {{1, 1}, {1}},
        {{1}, {1, 1, 1}},
        {{1, 1, 4}, {1, 3, 1}},
        {{1, 4}, {1, 1}},
        {{3, 1}, {1}},
        {{}, {}},
    };

    static Stream<Differential.Case> elementwise() {
        List<Differential.Case> cases = new ArrayList<>();
        for (Map.Entry<String, BiFunction<Tf, Node[], Node>> op : OpCatalog.binaryOps().entrySet()) {
            boolean div = op.getKey().equals("div");
            for (int[][] s : ONES) {
                String name = op.getKey() + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]);
                cases.add(training(name, c -> op.getValue().apply(c.tf, new Node[] {
                    c.var("a", s[0]), div ? c.posVar("b", s[1]) : c.var("b", s[1])})));
                cases.add(training(name + ", a fed", c -> op.getValue().apply(c.tf, new Node[] {
                    c.feed("a", s[0]), div ? c.posVar("b", s[1]) : c.var("b", s[1])})));
            }
        }
        return cases.stream();
    }

    static Stream<Differential.Case> scalars() {
        List<Differential.Case> cases = new ArrayList<>();
        // placeholders and variables of shape [], and arithmetic on them
        cases.add(training("w*x + b, all scalars", c -> c.tf.add(c.tf.mul(c.var("w"), c.feed("x")), c.var("b"))));
        cases.add(training("tanh(w) * exp(x) - w^2, scalars",
                c -> {
                    Node w = c.var("w");
                    return c.tf.sub(c.tf.mul(c.tf.tanh(w), c.tf.exp(c.feed("x"))), c.tf.square(w));
                }));
        cases.add(training("1 / w + pow(w, 3), scalar", c -> {
            Node w = c.posVar("w");
            return c.tf.add(c.tf.div(1f, w), c.tf.pow(w, 3f));
        }));
        cases.add(training("sigmoid(-w) + relu(w), scalar", c -> {
            Node w = c.var("w");
            return c.tf.add(c.tf.sigmoid(c.tf.neg(w)), c.tf.relu(c.tf.add(w, 2f)));
        }));
        cases.add(training("log(w * x), scalars", c -> c.tf.log(c.tf.mul(c.posVar("w"), c.posFeed("x")))));
        // a scalar against tensors: gradients summed back to []
        cases.add(training("w[] * x[3,4]", c -> c.tf.mul(c.var("w"), c.feed("x", 3, 4))));
        cases.add(training("s[] * (x @ w) + b[]", c -> c.tf.add(c.tf.mul(c.feed("s"),
                c.tf.matmul(c.feed("x", 3, 5), c.var("w", 5, 4))), c.var("b"))));
        cases.add(training("maximum(x[2,3], w[]) / v[]", c -> c.tf.div(c.tf.maximum(c.feed("x", 2, 3), c.var("w")),
                c.posVar("v"))));
        cases.add(training("x[None,3] @ w * s[] at batch 1",
                c -> c.tf.mul(c.tf.matmul(c.batchFeed("x", 1, 3), c.var("w", 3, 2)), c.var("s"))));
        // reductions, transposes and reshapes of scalars
        cases.add(training("reduce_sum(w[])", c -> c.tf.reduceSum(c.var("w"))));
        cases.add(training("reduce_mean(w[] * x[], keepdims)", c -> c.tf.reduceMean(c.tf.mul(c.var("w"), c.feed("x")), null, true)));
        cases.add(training("reduce_sum(w[], axis=[])", c -> c.tf.reduceSum(c.var("w"), new int[0], false)));
        cases.add(training("transpose(w[])", c -> c.tf.transpose(c.var("w"))));
        cases.add(training("reshape(w[], 1, 1) @ v[1,3]", c -> c.tf.matmul(c.tf.reshape(c.var("w"), 1, 1), c.var("v", 1, 3))));
        cases.add(training("reshape(v[1,1]) to [] * x[2]", c -> c.tf.mul(c.tf.reshape(c.var("v", 1, 1)), c.feed("x", 2))));
        cases.add(training("reduce_sum(x[3,4] * w[3,4]) * u[], a scalar product", c -> c.tf.mul(
                c.tf.reduceSum(c.tf.mul(c.feed("x", 3, 4), c.var("w", 3, 4))), c.var("u"))));
        return cases.stream();
    }

    static final int[][] SHAPES_WITH_ONES = {{3, 1}, {1, 4}, {1, 1}, {2, 1, 3}, {1, 1, 1}, {1}, {1, 3, 1}};

    static Stream<Differential.Case> reductions() {
        List<Differential.Case> cases = new ArrayList<>();
        for (int[] shape : SHAPES_WITH_ONES) {
            List<int[]> axesList = new ArrayList<>();
            axesList.add(null);
            axesList.add(new int[0]);
            for (int a = 0; a < shape.length; a++) {
                if (shape[a] == 1) {
                    axesList.add(new int[] {a});
                    axesList.add(new int[] {a - shape.length}); // the same axis counted from the end
                }
            }
            if (shape.length == 3) {
                axesList.add(new int[] {0, 1});
                axesList.add(new int[] {1, 2});
            }
            for (int[] axes : axesList) {
                for (boolean mean : new boolean[] {false, true}) {
                    for (boolean keep : new boolean[] {false, true}) {
                        String name = (mean ? "reduce_mean" : "reduce_sum") + (keep ? " keepdims " : " ")
                                + (axes == null ? "all" : Arrays.toString(axes)) + " of " + Arrays.toString(shape);
                        cases.add(training(name, c -> reduce(c.tf, mean, c.var("w", shape), axes, keep)));
                        cases.add(training(name + ", of w*x", c -> reduce(c.tf, mean,
                                c.tf.mul(c.var("w", shape), c.feed("x", shape)), axes, keep)));
                    }
                }
            }
        }
        // (x - mean over a batch of one would be 0 exactly, and so would its gradient: a product instead)
        cases.add(training("x[None,4] * reduce_mean(x, [0], keepdims) at batch 1", c -> {
            Node x = c.tf.mul(c.batchFeed("x", 1, 4), c.var("w", 4));
            return c.tf.mul(x, c.tf.reduceMean(x, new int[] {0}, true));
        }));
        cases.add(training("log-sum-exp over a row of one, batch 1", c -> {
            Node z = c.tf.matmul(c.batchFeed("x", 1, 3), c.var("w", 3, 1));
            return c.tf.log(c.tf.reduceSum(c.tf.exp(z), new int[] {1}, true));
        }));
        return cases.stream();
    }

    private static Node reduce(Tf tf, boolean mean, Node x, int[] axes, boolean keep) {
        return mean ? tf.reduceMean(x, axes, keep) : tf.reduceSum(x, axes, keep);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matmuls")
    void matmulsWithDimensionsOfOne(Differential.Case c) {
        CompiledVsInterpreterTest.trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementwise")
    void elementwiseOnShapesOfOnes(Differential.Case c) {
        CompiledVsInterpreterTest.trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalars")
    void scalarPlaceholdersAndVariables(Differential.Case c) {
        CompiledVsInterpreterTest.trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductions")
    void reductionsOverAxesOfSizeOne(Differential.Case c) {
        CompiledVsInterpreterTest.trains(c);
    }

    static Stream<String> examples() {
        return Examples.FILES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleModelsAtBatchOne(String file) {
        CompiledVsInterpreterTest.trains(Examples.load(file, 1));
    }

    /** Inference that fetches scalars and [1,1] values directly: placeholders, variables, and what they make. */
    @Test
    void fetchingScalarsAndOnesByTheirNames() {
        Tf tf = new Tf();
        Node s = tf.placeholder("s", Tf.shape());
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 1));
        Node w = tf.variable("w", new Tensor(Shape.SCALAR, new float[] {0.75f}));
        Node v = tf.variable("v", new Tensor(Shape.of(1, 1), new float[] {-2f}));
        tf.name("sw", tf.mul(s, w));
        tf.name("xv", tf.matmul(x, v));
        tf.name("total", tf.reduceSum(tf.add(tf.matmul(x, v), tf.mul(s, w)), new int[] {0, 1}, true));
        tf.name("mean_all", tf.reduceMean(tf.reshape(x, -1)));
        Graph g = tf.build().bind(1);
        Map<String, Tensor> feeds = Map.of("s", new Tensor(Shape.SCALAR, new float[] {3f}),
                "x", new Tensor(Shape.of(1, 1), new float[] {0.5f}));
        List<String> fetches = List.of("s", "x", "w", "v", "sw", "xv", "total", "mean_all");
        List<Tensor> r = Differential.compare(new Differential.Case("scalar fetches", g, fetches, List.of(), feeds), 2);
        assertEquals(List.of(Shape.SCALAR, Shape.of(1, 1), Shape.SCALAR, Shape.of(1, 1), Shape.SCALAR, Shape.of(1, 1),
                Shape.of(1, 1), Shape.SCALAR), r.stream().map(Tensor::shape).toList());
        assertEquals(2.25f, r.get(4).item());
        assertEquals(-1f, r.get(5).item());
        assertEquals(1.25f, r.get(6).item());
        assertEquals(0.5f, r.get(7).item());
    }

    public interface Predict {
        float[] run(float[] x);
    }

    /**
     * A product large enough to be shared between threads, with few rows: one (not shared: there is less
     * than a row per thread), and 4 and 5 (shared, fewer than a vector block of rows). Bit for bit the
     * result of one thread, and the interpreter's to the tolerance.
     */
    @Test
    void aProductLargeEnoughToShareWithFewRows() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 1024));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(1024, 1024), 0f, 0.03f, 5L));
        tf.name("y", tf.tanh(tf.matmul(x, w)));
        Graph graph = tf.build();
        for (int batch : new int[] {1, 4, 5}) {
            float[] xs = new float[batch * 1024];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) Math.sin(i);
            }
            Options options = new Options().batch(batch).fetch("y").noTargets();
            float[] one = Kiln.compile(graph, Predict.class, options.threads(1)).run(xs).clone();
            float[] two = Kiln.compile(graph, Predict.class, options.threads(2)).run(xs).clone();
            org.junit.jupiter.api.Assertions.assertArrayEquals(one, two, "batch " + batch);
            Graph bound = graph.bind(batch);
            Session ref = Kiln.session(bound, List.of("y"), List.of(), Engine.INTERPRETER, 0);
            Shape shape = Shape.of(batch, 1024);
            Differential.assertClose("y, batch " + batch, ref.run(Map.of("x", new Tensor(shape, xs))).get(0),
                    new Tensor(shape, two));
        }
    }

    public interface TrainStep {
        float run(float[] x, float[] y);
    }

    /**
     * The canonical program at batch 1 through the user's interface, with the batch given and bound on the
     * first call, against the interpreter, step by step; the loss and both variables agree.
     */
    @Test
    void theCanonicalProgramAtBatchOneThroughTheInterface() {
        Graph g = Script.parse(Examples.text("two_layer.kiln"), "two_layer.kiln");
        Differential.Case c = Examples.load("two_layer.kiln", 1);
        float[] x = c.feeds().get("x").data();
        float[] y = c.feeds().get("y").data();
        assertEquals(1000, x.length);
        TrainStep given = Kiln.compile(g, TrainStep.class, new Options().batch(1).seed(Differential.SEED));
        TrainStep bound = Kiln.compile(g, TrainStep.class, new Options().seed(Differential.SEED));
        Session ref = Kiln.session(c.graph(), List.of("loss"), c.graph().sideEffects(), Engine.INTERPRETER, Differential.SEED);
        for (int t = 0; t < 5; t++) {
            Tensor want = ref.run(c.feeds()).get(0);
            Differential.assertClose("step " + t + ", batch given", want, new Tensor(Shape.SCALAR, new float[] {given.run(x, y)}));
            Differential.assertClose("step " + t + ", batch bound on call", want, new Tensor(Shape.SCALAR, new float[] {bound.run(x, y)}));
        }
        for (String v : List.of("w1", "w2")) {
            Differential.assertClose(v, ref.variable(v), Kiln.variables(given).get(v));
            Differential.assertClose(v, ref.variable(v), Kiln.variables(bound).get(v));
        }
    }
}
