package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * add, sub, mul, div, maximum, minimum (broadcasting binary ops) and neg, pow, square, relu, sigmoid,
 * tanh, exp, log (unary): shape rules, values on literals, gradients against finite differences.
 */
class ElementwiseOpsTest {

    /** The broadcasting binary ops reachable from Tf, with inputs in a domain where each is smooth. */
    enum Binary {
        ADD("add", Tf::add),
        SUB("sub", Tf::sub),
        MUL("mul", Tf::mul),
        DIV("div", Tf::div),
        MAXIMUM("maximum", Tf::maximum),
        MINIMUM("minimum", Tf::minimum);

        final String opName;
        final GradCheck.Binary build;

        Binary(String opName, GradCheck.Binary build) {
            this.opName = opName;
            this.build = build;
        }

        Node apply(Tf tf, Node x, Node y) {
            return build.apply(tf, x, y);
        }

        Tensor xValues(long seed, int... dims) {
            return switch (this) {
                case MAXIMUM, MINIMUM -> Tensors.staggered(seed, true, dims); // ties are >= 0.15 away
                default -> Tensors.random(seed, dims);
            };
        }

        Tensor yValues(long seed, int... dims) {
            return switch (this) {
                case DIV -> Tensors.positive(seed, dims); // denominators in [0.5, 2)
                case MAXIMUM, MINIMUM -> Tensors.staggered(seed, false, dims);
                default -> Tensors.random(seed, dims);
            };
        }
    }

    // ------------------------------------------------------------------ shape rules

    static Stream<Arguments> broadcastCases() {
        int n = Tf.NONE;
        return Stream.of(
                Arguments.of(new int[] {64, 100}, new int[] {1}, new int[] {64, 100}),
                Arguments.of(new int[] {1}, new int[] {64, 100}, new int[] {64, 100}),
                Arguments.of(new int[] {3, 1}, new int[] {1, 4}, new int[] {3, 4}),
                Arguments.of(new int[] {5, 3}, new int[] {3}, new int[] {5, 3}),
                Arguments.of(new int[] {2, 1, 4}, new int[] {3, 1}, new int[] {2, 3, 4}),
                Arguments.of(new int[] {}, new int[] {2, 3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 3}, new int[] {2, 3}, new int[] {2, 3}),
                Arguments.of(new int[] {n, 100}, new int[] {100}, new int[] {n, 100}),
                Arguments.of(new int[] {n, 100}, new int[] {1, 100}, new int[] {n, 100}),
                Arguments.of(new int[] {n, 1}, new int[] {1, 4}, new int[] {n, 4}),
                Arguments.of(new int[] {n, 3}, new int[] {n, 3}, new int[] {n, 3}),
                Arguments.of(new int[] {n, 3}, new int[] {}, new int[] {n, 3}));
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("broadcastCases")
    void broadcastShapesInEveryBinaryOpBothWays(int[] a, int[] b, int[] expected) {
        for (Binary op : Binary.values()) {
            Tf tf = new Tf();
            Node x = tf.placeholder("x", Shape.of(a));
            Node y = tf.placeholder("y", Shape.of(b));
            assertEquals(Shape.of(expected), op.apply(tf, x, y).shape(), op.opName + " x,y");
            assertEquals(Shape.of(expected), op.apply(tf, y, x).shape(), op.opName + " y,x");
        }
    }

    @Test
    void noneAgainstAKnownDimensionTakesTheKnownOneAndIsCheckedAgainWhenBound() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node y = tf.placeholder("y", Tf.shape(5, 3));
        Node z = tf.name("z", tf.add(x, y));
        assertEquals(Tf.shape(5, 3), z.shape());
        Graph g = tf.build();
        assertEquals(Tf.shape(5, 3), g.bind(5).node("z").shape());
        assertEquals(Tf.shape(5, 3), g.bind(1).node("z").shape()); // [1,3] broadcasts against [5,3]
        assertKilnError(() -> g.bind(4), "add", "'x' f32[4,3]", "'y' f32[5,3]", "do not broadcast");
    }

    @ParameterizedTest
    @EnumSource(Binary.class)
    void incompatibleShapesAreRejectedNamingOpOperandsAndCaller(Binary op) {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(4));
        assertKilnErrorAt(() -> op.apply(tf, a, b),
                op.opName + "('a' f32[2,3], 'b' f32[4])", "do not broadcast", "3 vs 4");
    }

    @Test
    void incompatibleShapesInTheMiddleAreRejected() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3, 4));
        Node b = tf.placeholder("b", Tf.shape(2, 4));
        assertKilnErrorAt(() -> tf.mul(a, b), "mul('a' f32[2,3,4], 'b' f32[2,4])", "do not broadcast");
    }

    @Test
    void unaryOpsKeepTheShapeIncludingNone() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 7));
        List<Node> outs = List.of(tf.neg(x), tf.pow(x, 3f), tf.square(x), tf.relu(x), tf.sigmoid(x), tf.tanh(x),
                tf.exp(x), tf.log(x), tf.sqrt(x), tf.abs(x));
        for (Node o : outs) {
            assertEquals(Tf.shape(Tf.NONE, 7), o.shape(), o.op().name());
        }
        Graph g = tf.build().bind(2);
        for (Node o : outs) {
            assertEquals(Tf.shape(2, 7), g.nodes().get(o.id()).shape(), o.op().name());
        }
    }

    // ------------------------------------------------------------------ values

    @Test
    void addBroadcastsARowVector() {
        Tf tf = new Tf();
        Node z = tf.add(tf.constant(mat(new float[] {1, 2, 3}, new float[] {4, 5, 6})), tf.constant(vec(10, 20, 30)));
        assertAllClose(mat(new float[] {11, 22, 33}, new float[] {14, 25, 36}), Eval.eval(tf, z));
    }

    @Test
    void subBroadcastsAColumnAgainstARow() {
        Tf tf = new Tf();
        Node col = tf.constant(Tensors.of(new float[] {1, 2, 3}, 3, 1));
        Node row = tf.constant(Tensors.of(new float[] {10, 20}, 1, 2));
        assertAllClose(mat(new float[] {-9, -19}, new float[] {-8, -18}, new float[] {-7, -17}),
                Eval.eval(tf, tf.sub(col, row)));
        assertAllClose(mat(new float[] {9, 8, 7}, new float[] {19, 18, 17}),
                Eval.eval(tf, tf.transpose(tf.sub(row, col))));
    }

    @Test
    void mulBroadcastsAColumnAndAScalar() {
        Tf tf = new Tf();
        Node m = tf.constant(mat(new float[] {1, 2}, new float[] {3, 4}));
        Node z = tf.mul(m, tf.constant(Tensors.of(new float[] {2, 3}, 2, 1)));
        assertAllClose(mat(new float[] {2, 4}, new float[] {9, 12}), Eval.eval(tf, z));
        assertAllClose(mat(new float[] {-1, -2}, new float[] {-3, -4}), Eval.eval(tf, tf.mul(m, -1f)));
    }

    @Test
    void divIsLeftOverRightAndBroadcasts() {
        Tf tf = new Tf();
        Node x = tf.constant(vec(1, 2, 3, 4));
        assertAllClose(vec(0.5f, 1, 1.5f, 2), Eval.eval(tf, tf.div(x, 2f)));
        assertAllClose(vec(0.25f, 0.125f), Eval.eval(tf, tf.div(1f, tf.constant(vec(4, 8)))));
        Node rows = tf.constant(mat(new float[] {2, 4}, new float[] {6, 8}));
        assertAllClose(mat(new float[] {1, 2}, new float[] {2, 8f / 3f}),
                Eval.eval(tf, tf.div(rows, tf.constant(Tensors.of(new float[] {2, 3}, 2, 1)))));
    }

    @Test
    void negNegates() {
        Tf tf = new Tf();
        assertAllClose(vec(-1, 2, -0.5f), Eval.eval(tf, tf.neg(tf.constant(vec(1, -2, 0.5f)))));
    }

    @Test
    void maximumAndMinimumBroadcast() {
        Tf tf = new Tf();
        Node m = tf.constant(mat(new float[] {-1, 2}, new float[] {3, -4}));
        Node v = tf.constant(vec(0, 1));
        assertAllClose(mat(new float[] {0, 2}, new float[] {3, 1}), Eval.eval(tf, tf.maximum(m, v)));
        assertAllClose(mat(new float[] {-1, 1}, new float[] {0, -4}), Eval.eval(tf, tf.minimum(m, v)));
        assertAllClose(mat(new float[] {0, 2}, new float[] {3, 1}), Eval.eval(tf, tf.maximum(v, m)));
    }

    @Test
    void powComputesConstantExponents() {
        Tf tf = new Tf();
        assertAllClose(vec(4, 9, 0.25f), Eval.eval(tf, tf.pow(tf.constant(vec(-2, 3, 0.5f)), 2f)));
        assertAllClose(vec(-8, 27), Eval.eval(tf, tf.pow(tf.constant(vec(-2, 3)), 3f)));
        assertAllClose(vec(2, 3, 0.5f), Eval.eval(tf, tf.pow(tf.constant(vec(4, 9, 0.25f)), 0.5f)));
        assertAllClose(vec(0.5f, -0.25f), Eval.eval(tf, tf.pow(tf.constant(vec(2, -4)), -1f)));
    }

    @Test
    void theGradientOfPowZeroIsZeroAlsoAtZero() {
        // x ** 0 is 1 everywhere; the general formula 0 * x ** -1 would give NaN at x = 0
        Tf tf = new Tf();
        Node x = tf.variable("x", tf.constant(vec(0, -2, 3)));
        Node g = tf.gradients(tf.reduceSum(tf.pow(x, 0f)), List.of(x)).get(0);
        assertAllClose(vec(0, 0, 0), Eval.eval(tf, g));
    }

    @Test
    void squareReluSigmoidTanhExpLogOnLiterals() {
        Tf tf = new Tf();
        float ln2 = (float) Math.log(2);
        float ln3 = (float) Math.log(3);
        assertAllClose(vec(9, 0.25f, 0), Eval.eval(tf, tf.square(tf.constant(vec(-3, 0.5f, 0)))));
        assertAllClose(vec(0, 0, 2, 0), Eval.eval(tf, tf.relu(tf.constant(vec(-1, 0, 2, -0.5f)))));
        assertAllClose(vec(0.5f, 0.75f, 0.25f), Eval.eval(tf, tf.sigmoid(tf.constant(vec(0, ln3, -ln3)))));
        assertAllClose(vec(0, 0.6f, -0.6f), Eval.eval(tf, tf.tanh(tf.constant(vec(0, ln2, -ln2)))));
        assertAllClose(vec(1, (float) Math.E, 2), Eval.eval(tf, tf.exp(tf.constant(vec(0, 1, ln2)))));
        assertAllClose(vec(0, 1, -ln2), Eval.eval(tf, tf.log(tf.constant(vec(1, (float) Math.E, 0.5f)))));
    }

    @Test
    void absClearsTheSignAndItsGradientIsTheSign() {
        Tf tf = new Tf();
        assertAllClose(vec(3, 0.5f, 0, 2), Eval.eval(tf, tf.abs(tf.constant(vec(-3, 0.5f, 0, 2)))));
        Node x = tf.constant(vec(-3, 0.5f, 0, 2));
        assertAllClose(vec(-1, 1, 0, 1), Eval.eval(tf, tf.gradients(tf.reduceSum(tf.abs(x)), List.of(x)).get(0)));
    }

    @Test
    void biasAddAddsAVectorAlongTheLastDimensionOnly() {
        Tf tf = new Tf();
        Node v = tf.constant(mat(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
        assertAllClose(mat(new float[] {11, 22, 33}, new float[] {14, 25, 36}),
                Eval.eval(tf, tf.nn().biasAdd(v, tf.constant(vec(10, 20, 30)))));
        assertKilnErrorAt(() -> tf.nn().biasAdd(v, tf.constant(vec(1, 2))), "bias_add: the bias must be a vector as long as"
                + " the value's last dimension, got value [2,3] and bias [2]");
    }

    @Test
    void l2LossIsHalfTheSumOfSquares() {
        Tf tf = new Tf();
        assertAllClose(Tensors.scalar(7f), Eval.eval(tf, tf.nn().l2Loss(tf.constant(vec(1, 2, -3)))));
    }

    @Test
    void sqrtIsCorrectlyRoundedAndNaNBelowZero() {
        Tf tf = new Tf();
        float[] got = Eval.eval(tf, tf.sqrt(tf.constant(vec(0, 4, 2, 1e-30f, -1)))).data();
        assertEquals(0f, got[0]);
        assertEquals(2f, got[1]);
        assertEquals((float) Math.sqrt(2.0), got[2]);
        assertEquals((float) Math.sqrt(1e-30f), got[3]);
        assertTrue(Float.isNaN(got[4]));
    }

    @Test
    void sigmoidAndExpDoNotOverflowToNaN() {
        Tf tf = new Tf();
        Tensor s = Eval.eval(tf, tf.sigmoid(tf.constant(vec(-200, 200))));
        assertAllClose(vec(0, 1), s);
        Tensor t = Eval.eval(tf, tf.tanh(tf.constant(vec(-50, 50))));
        assertAllClose(vec(-1, 1), t);
    }

    // ------------------------------------------------------------------ gradients

    static Stream<Arguments> gradientBroadcastCases() {
        List<Arguments> out = new ArrayList<>();
        int[][][] shapes = {
            {{2, 3}, {2, 3}},
            {{3, 4}, {4}},
            {{4}, {3, 4}},
            {{3, 1}, {1, 4}},
            {{2, 3, 4}, {3, 1}},
            {{}, {2, 3}},
            {{2, 3}, {}},
            {{2, 1, 3}, {4, 1}},
        };
        for (Binary op : Binary.values()) {
            for (int[][] s : shapes) {
                out.add(Arguments.of(op, s[0], s[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} with {2}")
    @MethodSource("gradientBroadcastCases")
    void binaryGradientsSumBackToEachOperandsShape(Binary op, int[] xs, int[] ys) {
        long seed = 31L * op.ordinal() + xs.length * 7L + ys.length;
        GradCheck.binary(seed, op.xValues(seed + 1, xs), op.yValues(seed + 2, ys), op::apply);
    }

    @Test
    void addGradientOfABroadcastBiasIsTheColumnSumOfDy() {
        // loss = sum((x + b) * c): d/db = column sums of c, d/dx = c
        Tf tf = new Tf();
        Node x = tf.variable("x", Tensors.random(1, 3, 2));
        Node b = tf.variable("b", vec(0.5f, -0.5f));
        Tensor c = mat(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6});
        Node loss = tf.reduceSum(tf.mul(tf.add(x, b), tf.constant(c)));
        List<Node> g = tf.gradients(loss, x, b);
        List<Tensor> v = Eval.evalAll(tf, java.util.Map.of(), g.get(0), g.get(1));
        assertAllClose(c, v.get(0));
        assertAllClose(vec(9, 12), v.get(1));
    }

    @Test
    void divGradientOnLiterals() {
        // z = x / y; dz/dx = 1/y, dz/dy = -x/y^2
        Tf tf = new Tf();
        Node x = tf.variable("x", vec(3, -2));
        Node y = tf.variable("y", vec(2, 4));
        List<Node> g = tf.gradients(tf.reduceSum(tf.div(x, y)), x, y);
        List<Tensor> v = Eval.evalAll(tf, java.util.Map.of(), g.get(0), g.get(1));
        assertAllClose(vec(0.5f, 0.25f), v.get(0));
        assertAllClose(vec(-0.75f, 0.125f), v.get(1));
    }

    @Test
    void maximumAndMinimumSendTiesToTheFirstOperandAsTensorFlowDoes() {
        Tf tf = new Tf();
        Node x = tf.variable("x", vec(1, 2, 3));
        Node y = tf.variable("y", vec(1, 5, 0));
        List<Node> gmax = tf.gradients(tf.reduceSum(tf.maximum(x, y)), x, y);
        List<Node> gmin = tf.gradients(tf.reduceSum(tf.minimum(x, y)), x, y);
        List<Tensor> v = Eval.evalAll(tf, java.util.Map.of(), gmax.get(0), gmax.get(1), gmin.get(0), gmin.get(1));
        assertAllClose(vec(1, 0, 1), v.get(0));
        assertAllClose(vec(0, 1, 0), v.get(1));
        assertAllClose(vec(1, 1, 0), v.get(2));
        assertAllClose(vec(0, 0, 1), v.get(3));
    }

    @Test
    void reluGradientIsZeroAtAndBelowZero() {
        Tf tf = new Tf();
        Node x = tf.variable("x", vec(-1, 0, 2, 0.001f));
        Node g = tf.gradients(tf.reduceSum(tf.mul(tf.relu(x), 3f)), x).get(0);
        assertAllClose(vec(0, 0, 3, 3), Eval.eval(tf, g));
    }

    enum Unary {
        NEG("neg", Tf::neg, s -> Tensors.random(s, 3, 4)),
        POW2("pow 2", (tf, x) -> tf.pow(x, 2f), s -> Tensors.uniform(s, -2f, 2f, 3, 4)),
        POW3("pow 3", (tf, x) -> tf.pow(x, 3f), s -> Tensors.uniform(s, -1.5f, 1.5f, 3, 4)),
        POW_HALF("pow 0.5", (tf, x) -> tf.pow(x, 0.5f), s -> Tensors.positive(s, 3, 4)),
        POW_MINUS_ONE("pow -1", (tf, x) -> tf.pow(x, -1f), s -> Tensors.awayFromZero(s, 0.5f, 2f, 3, 4)),
        SQUARE("square", Tf::square, s -> Tensors.uniform(s, -2f, 2f, 3, 4)),
        RELU("relu", Tf::relu, s -> Tensors.awayFromZero(s, 0.1f, 1.5f, 3, 4)),
        SIGMOID("sigmoid", Tf::sigmoid, s -> Tensors.uniform(s, -3f, 3f, 3, 4)),
        TANH("tanh", Tf::tanh, s -> Tensors.uniform(s, -2f, 2f, 3, 4)),
        EXP("exp", Tf::exp, s -> Tensors.uniform(s, -1.5f, 1.5f, 3, 4)),
        LOG("log", Tf::log, s -> Tensors.positive(s, 3, 4)),
        SQRT("sqrt", Tf::sqrt, s -> Tensors.positive(s, 3, 4)),
        ABS("abs", Tf::abs, s -> Tensors.awayFromZero(s, 0.1f, 1.5f, 3, 4));

        final String label;
        final BiFunction<Tf, Node, Node> build;
        final java.util.function.LongFunction<Tensor> values;

        Unary(String label, BiFunction<Tf, Node, Node> build, java.util.function.LongFunction<Tensor> values) {
            this.label = label;
            this.build = build;
            this.values = values;
        }
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void unaryGradientsMatchFiniteDifferences(Unary op) {
        long seed = 100 + op.ordinal();
        GradCheck.unary(seed, op.values.apply(seed), op.build);
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void unaryGradientsAlsoHoldForAPlaceholderInput(Unary op) {
        long seed = 200 + op.ordinal();
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3, 4));
        Tensor c = Tensors.uniform(seed, -1.5f, 1.5f, 3, 4);
        tf.name("loss", tf.reduceSum(tf.mul(op.build.apply(tf, x), tf.constant(c))));
        Node g = tf.gradients(tf.lookup("loss"), x).get(0);
        dev.kiln.testing.FiniteDifferences.of(tf.build(), "loss").feed("x", op.values.apply(seed)).wrt("x", g).verify();
    }

    @Test
    void powGradientsOnLiterals() {
        Tf tf = new Tf();
        Node x = tf.variable("x", vec(4, 0.25f, 2));
        Node g2 = tf.gradients(tf.reduceSum(tf.pow(x, 2f)), x).get(0);
        Node g3 = tf.gradients(tf.reduceSum(tf.pow(x, 3f)), x).get(0);
        Node gh = tf.gradients(tf.reduceSum(tf.pow(x, 0.5f)), x).get(0);
        Node gm = tf.gradients(tf.reduceSum(tf.pow(x, -1f)), x).get(0);
        List<Tensor> v = Eval.evalAll(tf, java.util.Map.of(), g2, g3, gh, gm);
        assertAllClose(vec(8, 0.5f, 4), v.get(0));
        assertAllClose(vec(48, 0.1875f, 12), v.get(1));
        assertAllClose(vec(0.25f, 1f, (float) (0.5 / Math.sqrt(2))), v.get(2));
        assertAllClose(vec(-1f / 16, -16, -0.25f), v.get(3));
    }

    @Test
    void sigmoidTanhExpLogGradientsOnLiterals() {
        Tf tf = new Tf();
        Node x = tf.variable("x", vec(0, 1));
        Node gs = tf.gradients(tf.reduceSum(tf.sigmoid(x)), x).get(0);
        Node gt = tf.gradients(tf.reduceSum(tf.tanh(x)), x).get(0);
        Node ge = tf.gradients(tf.reduceSum(tf.exp(x)), x).get(0);
        Node y = tf.variable("y", vec(0.5f, 4));
        Node gl = tf.gradients(tf.reduceSum(tf.log(y)), y).get(0);
        List<Tensor> v = Eval.evalAll(tf, java.util.Map.of(), gs, gt, ge, gl);
        double s1 = 1 / (1 + Math.exp(-1));
        double t1 = Math.tanh(1);
        assertAllClose(vec(0.25f, (float) (s1 * (1 - s1))), v.get(0));
        assertAllClose(vec(1, (float) (1 - t1 * t1)), v.get(1));
        assertAllClose(vec(1, (float) Math.E), v.get(2));
        assertAllClose(vec(2, 0.25f), v.get(3));
    }

    @Test
    void gradientsThroughNoneDimensionsAfterBinding() {
        // bias b [3] broadcast against x [None, 3]; the gradient is built before binding
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node b = tf.variable("b", vec(0.1f, -0.2f, 0.3f));
        Node s = tf.variable("s", Tensors.of(new float[] {1.5f}, 1, 1));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.mul(tf.add(x, b), s))));
        List<Node> g = tf.gradients(loss, b, s, x);
        assertEquals(Tf.shape(3), g.get(0).shape());
        assertEquals(Tf.shape(1, 1), g.get(1).shape());
        assertEquals(Tf.shape(Tf.NONE, 3), g.get(2).shape());
        Graph bound = tf.build().bind(4);
        dev.kiln.testing.FiniteDifferences.of(bound, "loss").feed("x", Tensors.random(9, 4, 3))
                .wrt("b", g.get(0)).wrt("s", g.get(1)).wrt("x", g.get(2)).verify();
    }
}
