package dev.kiln.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Check-numerics on both engines (the compiled one with one and two threads, on whichever backend the
 * build chose): a planted NaN or infinity is reported at the node and line that made it, the failing run
 * changes no variable, and on clean graphs the checks change no result, not even a bit.
 */
class CheckNumericsTest {
    private static final String FILE = "CheckNumericsTest.java";

    /** How a test makes a session: with check-numerics on or off. */
    record Setup(String name, Engine engine, int threads) {
        Session session(Graph g, List<String> fetches, List<Node> targets, boolean check) {
            return Kiln.session(g, fetches, targets, engine,
                    new Options().seed(Differential.SEED).threads(threads).checkNumerics(check));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Setup> engines() {
        return Stream.of(new Setup("interpreter", Engine.INTERPRETER, 1), new Setup("compiled", Engine.COMPILED, 1),
                new Setup("compiled, two threads", Engine.COMPILED, 2));
    }

    private static int line() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }

    private static Tensor tensor(Shape s, float... data) {
        return new Tensor(s, data);
    }

    private static String failure(Setup e, Graph g, Map<String, Tensor> feeds, String fetch) {
        Session s = e.session(g, List.of(fetch), List.of(), true);
        return assertThrows(NumericsException.class, () -> s.run(feeds), e.name()).getMessage();
    }

    // ---------------------------------------------------------------- planted values, named exactly

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void theLogOfANegativeFeedIsNamedWithItsLine(Setup e) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        tf.name("log_p", tf.log(x)); int line = line();
        tf.name("loss", tf.reduceSum(tf.lookup("log_p")));
        Graph g = tf.build().bind(2);
        Map<String, Tensor> feeds = Map.of("x", tensor(Shape.of(2, 3), 1, 2, 3, 4, 5, -6));
        assertEquals(FILE + ":" + line + ": check-numerics: log %1 'log_p' f32[2,3] produced NaN at [1, 2]",
                failure(e, g, feeds, "loss"));
        // off, the run goes through and the NaN reaches the loss
        Session off = e.session(g, List.of("loss"), List.of(), false);
        assertTrue(Float.isNaN(off.run(feeds).get(0).item()));
    }

    /**
     * One planted non-finite value: {@code op} builds the node {@code q} from the feeds x and y, on line
     * {@code line} (the lambda is on the line that calls {@code line()}).
     */
    record Plant(String name, int line, BiFunction<Tf, Node[], Node> op, float[] x, float[] y, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Plant> PLANTS = List.of(
            new Plant("0 / 0", line(), (tf, in) -> tf.div(in[0], in[1]),
                    new float[] {1, 0, 2}, new float[] {1, 0, 0}, "div %2 'q' f32[3] produced NaN at [1]"),
            new Plant("1 / 0", line(), (tf, in) -> tf.div(in[0], in[1]),
                    new float[] {1, 2, 1}, new float[] {1, 2, 0}, "div %2 'q' f32[3] produced +Inf at [2]"),
            new Plant("log 0", line(), (tf, in) -> tf.log(tf.add(in[0], in[1])),
                    new float[] {1, 2, 0}, new float[] {1, 2, 0}, "log %3 'q' f32[3] produced -Inf at [2]"),
            new Plant("exp overflow", line(), (tf, in) -> tf.exp(tf.mul(in[0], in[1])),
                    new float[] {1, 10, 1}, new float[] {1, 10, 1}, "exp %3 'q' f32[3] produced +Inf at [1]"),
            new Plant("subtraction overflow", line(), (tf, in) -> tf.sub(in[1], tf.exp(in[0])),
                    new float[] {1, 88, 1}, new float[] {1, -3e38f, 1}, "sub %3 'q' f32[3] produced -Inf at [1]"));

    static Stream<Object[]> plantsOnEngines() {
        List<Object[]> all = new ArrayList<>();
        for (Plant p : PLANTS) {
            engines().forEach(e -> all.add(new Object[] {p, e}));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("plantsOnEngines")
    void eachKindOfNonFiniteValueIsNamed(Plant p, Setup e) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        Node y = tf.placeholder("y", Tf.shape(3));
        tf.name("q", p.op().apply(tf, new Node[] {x, y}));
        Graph g = tf.build();
        Map<String, Tensor> feeds = Map.of("x", tensor(Shape.of(3), p.x()), "y", tensor(Shape.of(3), p.y()));
        assertEquals(FILE + ":" + p.line() + ": check-numerics: " + p.expected(), failure(e, g, feeds, "q"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aNonFiniteFeedOrVariableIsNamedBeforeAnyOp(Setup e) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 2)); int xLine = line();
        Node w = tf.variable("w", tf.ones(Tf.shape(2, 2))); int wLine = line();
        tf.name("loss", tf.reduceSum(tf.matmul(x, w)));
        Graph g = tf.build();
        Session s = e.session(g, List.of("loss"), List.of(), true);
        Map<String, Tensor> bad = Map.of("x", tensor(Shape.of(2, 2), 1, Float.NaN, 3, 4));
        NumericsException feed = assertThrows(NumericsException.class, () -> s.run(bad));
        assertEquals(FILE + ":" + xLine + ": check-numerics: placeholder %0 'x' f32[2,2] holds NaN at [0, 1]",
                feed.getMessage());
        s.setVariable("w", tensor(Shape.of(2, 2), 1, 1, Float.NEGATIVE_INFINITY, 1));
        Map<String, Tensor> good = Map.of("x", tensor(Shape.of(2, 2), 1, 2, 3, 4));
        NumericsException variable = assertThrows(NumericsException.class, () -> s.run(good));
        // the variable's initializer, a fill, is %1 in the graph as built, and gone from the optimized one
        int id = e.engine() == Engine.INTERPRETER ? 2 : 1;
        assertEquals(FILE + ":" + wLine + ": check-numerics: variable %" + id + " 'w' f32[2,2] holds -Inf at [1, 0]",
                variable.getMessage());
    }

    /**
     * A constant expression is evaluated when the class is compiled: a NaN it makes is reported as the
     * constant it became, with the name and position of the op that made it; also when the constant is a
     * scalar the kernels hold inline rather than an array.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aNonFiniteConstantExpressionIsNamedAtItsLine(Setup e) {
        for (Shape shape : List.of(Shape.SCALAR, Shape.of(3))) {
            Tf tf = new Tf();
            Node x = tf.placeholder("x", Tf.shape(3));
            Node d = tf.name("d", tf.log(tf.sub(tf.zeros(shape), 1f))); int line = line();
            tf.name("z", tf.reduceSum(tf.mul(x, d)));
            Graph g = tf.build();
            String expected = e.engine() == Engine.INTERPRETER
                    ? "log %4 'd' f32" + shape + " produced NaN" // after x, the zeros, the 1.0 and the sub
                    : "fill %1 'd' f32" + shape + " holds NaN";
            expected += shape.rank() == 0 ? "" : " at [0]";
            assertEquals(FILE + ":" + line + ": check-numerics: " + expected,
                    failure(e, g, Map.of("x", tensor(Shape.of(3), 1, 2, 3)), "z"));
        }
    }

    /**
     * A product large enough to share its rows between threads (64 x 256 x 256), overflowing in row 5:
     * the check follows the shared kernel, on the calling thread.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void anOverflowInALargeProductIsNamed(Setup e) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(64, 256));
        Node w = tf.variable("w", tf.ones(Tf.shape(256, 256)));
        tf.name("h", tf.matmul(x, w)); int line = line();
        tf.name("loss", tf.reduceSum(tf.relu(tf.lookup("h"))));
        Graph g = tf.build();
        float[] data = new float[64 * 256];
        data[5 * 256 + 7] = Float.MAX_VALUE;
        data[5 * 256 + 8] = Float.MAX_VALUE;
        int id = e.engine() == Engine.INTERPRETER ? 3 : 2; // the fill initializing w is gone from the optimized graph
        assertEquals(FILE + ":" + line + ": check-numerics: matmul %" + id + " 'h' f32[64,256] produced +Inf at [5, 0]",
                failure(e, g, Map.of("x", tensor(Shape.of(64, 256), data)), "loss"));
    }

    // ---------------------------------------------------------------- training: state and results

    /** Linear regression with a learning rate far too large: the weights grow until something overflows. */
    static Graph diverging() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(8, 4));
        Node y = tf.placeholder("y", Tf.shape(8, 1));
        Node w = tf.variable("w", tf.zeros(Tf.shape(4, 1)));
        Node b = tf.variable("b", tf.zeros(Tf.shape(1)));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.sub(tf.add(tf.matmul(x, w), b), y))));
        List<Node> g = tf.gradients(loss, w, b);
        tf.assign(w, tf.sub(w, tf.mul(1.5f, g.get(0))));
        tf.assign(b, tf.sub(b, tf.mul(1.5f, g.get(1))));
        return tf.build();
    }

    static Map<String, Tensor> regressionFeeds() {
        return Map.of("x", tensor(Shape.of(8, 4), Tensors.gaussian(32, 3)), "y", tensor(Shape.of(8, 1), Tensors.gaussian(8, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void theFailingStepChangesNoVariableAndTheStepsBeforeItAreUnchanged(Setup e) {
        Graph g = diverging();
        Map<String, Tensor> feeds = regressionFeeds();
        Session checked = e.session(g, List.of("loss"), g.sideEffects(), true);
        Session plain = e.session(g, List.of("loss"), g.sideEffects(), false);
        int t = 0;
        NumericsException failed = null;
        for (; t < 500 && failed == null; t++) {
            try {
                float a = checked.run(feeds).get(0).item();
                float b = plain.run(feeds).get(0).item();
                assertEquals(Float.floatToRawIntBits(b), Float.floatToRawIntBits(a), "loss of step " + t);
            } catch (NumericsException n) {
                failed = n;
            }
        }
        assertTrue(failed != null, "the weights overflow within 500 steps");
        assertTrue(failed.getMessage().startsWith(FILE + ":") && failed.getMessage().contains(": check-numerics: "),
                failed.getMessage());
        assertTrue(t > 5, "a few clean steps first: " + t);
        for (String v : List.of("w", "b")) {
            assertArrayEquals(plain.variable(v).data(), checked.variable(v).data(), v + " as before the failing step");
        }
        // the same step without checks goes through, with a non-finite loss or leaving non-finite weights
        float loss = plain.run(feeds).get(0).item();
        assertTrue(!Float.isFinite(loss) || !allFinite(plain.variable("w").data()) || !allFinite(plain.variable("b").data()),
                "unchecked, the step that failed the check makes non-finite values");
    }

    /**
     * An update that overflows while the forward pass is finite: unchecked, the weights become infinite
     * (the compiled engine writes them in place, in its folded update kernel); checked, the error names
     * the product {@code lr * grad} and the weights keep their values.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void anOverflowingUpdateLeavesTheWeightsAsTheyWere(Setup e) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(8, 4));
        Node y = tf.placeholder("y", Tf.shape(8, 1));
        Node w = tf.variable("w", tf.ones(Tf.shape(4, 1)));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.sub(tf.matmul(x, w), y))));
        Node grad = tf.gradients(loss, w).get(0);
        tf.assign(w, tf.sub(w, tf.mul(1e38f, grad))); int line = line();
        Graph g = tf.build();
        Map<String, Tensor> feeds = regressionFeeds();
        Session plain = e.session(g, List.of("loss"), g.sideEffects(), false);
        plain.run(feeds);
        assertTrue(!allFinite(plain.variable("w").data()), "unchecked, w overflows");
        Session checked = e.session(g, List.of("loss"), g.sideEffects(), true);
        String message = assertThrows(NumericsException.class, () -> checked.run(feeds)).getMessage();
        assertTrue(message.matches(java.util.regex.Pattern.quote(FILE + ":" + line + ": check-numerics: mul %")
                + "\\d+ f32\\[4,1\\] produced [+-]Inf at \\[\\d, 0\\]"), message);
        assertArrayEquals(new float[] {1, 1, 1, 1}, checked.variable("w").data());
    }

    private static boolean allFinite(float[] a) {
        return NumericsException.firstNonFinite(a, a.length) < 0;
    }

    static Stream<Object[]> cleanCasesOnEngines() {
        List<Differential.Case> cases = new ArrayList<>();
        Graph mlp = ThreadsTest.mlp().bind(64);
        cases.add(new Differential.Case("mlp 4x256", mlp, List.of("loss"), mlp.sideEffects(),
                Map.of("x", tensor(Shape.of(64, 256), Tensors.gaussian(64 * 256, 1)),
                        "y", tensor(Shape.of(64, 256), Tensors.gaussian(64 * 256, 2)))));
        for (String f : Examples.FILES) {
            cases.add(Examples.load(f, 16));
        }
        List<Object[]> all = new ArrayList<>();
        for (Differential.Case c : cases) {
            engines().forEach(e -> all.add(new Object[] {c, e}));
        }
        return all.stream();
    }

    /** The checks, and the fusions they switch off, change no result: losses and variables bit for bit. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cleanCasesOnEngines")
    void onACleanGraphTheResultsAreBitForBitThoseWithoutChecks(Differential.Case c, Setup e) {
        Session checked = e.session(c.graph(), c.fetches(), c.targets(), true);
        Session plain = e.session(c.graph(), c.fetches(), c.targets(), false);
        for (int t = 0; t < 4; t++) {
            float[] a = checked.run(c.feeds()).get(0).data();
            float[] b = plain.run(c.feeds()).get(0).data();
            assertArrayEquals(b, a, c.name() + ": loss of step " + t);
        }
        for (String v : plain.variableNames()) {
            assertArrayEquals(plain.variable(v).data(), checked.variable(v).data(), c.name() + ": " + v);
        }
    }

    @Test
    void theOptionIsOffByDefault() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(1));
        tf.name("loss", tf.log(x));
        Graph g = tf.build();
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("loss"), List.of(), engine, new Options());
            assertTrue(Float.isNaN(s.run(Map.of("x", tensor(Shape.of(1), -1f))).get(0).item()), engine.name());
        }
    }

    /** The compiled entry point of {@code Kiln.compile(graph, iface, options)} checks too. */
    interface Step {
        float run(float[] x);
    }

    @Test
    void aCompiledEntryPointThrowsTheSameError() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 2));
        tf.name("loss", tf.reduceSum(tf.log(x))); int line = line();
        Graph g = tf.build();
        Step checked = Kiln.compile(g, Step.class, new Options().checkNumerics(true));
        assertEquals(Math.log(6), checked.run(new float[] {1, 2, 3, 1}), 1e-5);
        NumericsException n = assertThrows(NumericsException.class, () -> checked.run(new float[] {1, 2, 3, -1}));
        assertEquals(FILE + ":" + line + ": check-numerics: log %1 f32[2,2] produced NaN at [1, 1]", n.getMessage());
    }
}
