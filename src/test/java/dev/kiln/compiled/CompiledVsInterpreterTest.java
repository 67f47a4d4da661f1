package dev.kiln.compiled;

import static dev.kiln.compiled.Differential.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled engine against the interpreter, op by op: each op of {@link Tf} in a small training graph
 * (see {@link OpCatalog}), 5 SGD steps, the loss and every variable compared after each step; then the
 * run semantics the two must share: inference without targets, several fetches, fetching a variable
 * (its value before the run), fetching an assign (the new value), and assignments that read each other.
 */
class CompiledVsInterpreterTest {
    static final int STEPS = 5;

    static Stream<Differential.Case> unary() {
        return OpCatalog.unary().stream();
    }

    static Stream<Differential.Case> binary() {
        return OpCatalog.binary().stream();
    }

    static Stream<Differential.Case> scalarOperands() {
        return OpCatalog.scalarOperands().stream();
    }

    static Stream<Differential.Case> matmuls() {
        return OpCatalog.matmuls().stream();
    }

    static Stream<Differential.Case> reductions() {
        return OpCatalog.reductions().stream();
    }

    static Stream<Differential.Case> transposes() {
        return OpCatalog.transposes().stream();
    }

    static Stream<Differential.Case> reshapes() {
        return OpCatalog.reshapes().stream();
    }

    static Stream<Differential.Case> composites() {
        return OpCatalog.composites().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unary")
    void unaryOps(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binary")
    void binaryOpsWithBroadcasting(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalarOperands")
    void scalarAndConstantOperands(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matmuls")
    void matmuls(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductions")
    void reductions(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposes")
    void transposes(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reshapes")
    void reshapes(Differential.Case c) {
        trains(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    void composites(Differential.Case c) {
        trains(c);
    }

    static Stream<String> examples() {
        return Examples.FILES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleModels(String file) {
        trains(Examples.load(file, 8));
    }

    /** 5 steps agree, and they do train: the variables move and the loss is finite. */
    static void trains(Differential.Case c) {
        List<Tensor> last = Differential.compare(c, STEPS);
        assertTrue(Float.isFinite(last.get(0).item()), c.name() + ": the loss is not finite: " + last.get(0));
        // the differential run must not be vacuous: some variable changes over the steps
        Session ref = Kiln.session(c.graph(), c.fetches(), c.targets(), Engine.INTERPRETER, Differential.SEED);
        Map<String, Tensor> initial = new HashMap<>();
        for (String v : ref.variableNames()) {
            initial.put(v, ref.variable(v));
        }
        for (int i = 0; i < STEPS; i++) {
            ref.run(c.feeds());
        }
        boolean moved = false;
        for (String v : ref.variableNames()) {
            moved |= !initial.get(v).equals(ref.variable(v));
        }
        // (pow 0 has no gradient; maximum and minimum may pass none to an operand that never wins)
        boolean mayStandStill = c.name().startsWith("pow_0.0") || c.name().startsWith("maximum") || c.name().startsWith("minimum");
        assertTrue(moved || mayStandStill, c.name() + ": no variable changed in " + STEPS + " steps");
    }

    // ---------------------------------------------------------------- run semantics

    private static Tensor random(long seed, int... dims) {
        Random r = new Random(seed);
        Shape s = Shape.of(dims);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = 2 * r.nextFloat() - 1;
        }
        return new Tensor(s, d);
    }

    /** A two-layer network with names on its inner nodes, for the inference and fetch tests. */
    private static Graph network(boolean withAssigns) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 12));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 3));
        Node w1 = tf.variable("w1", random(1, 12, 20));
        Node b1 = tf.variable("b1", random(2, 20));
        Node w2 = tf.variable("w2", random(3, 20, 3));
        Node h = tf.name("h", tf.matmul(x, w1));
        Node hRelu = tf.name("h_relu", tf.relu(tf.add(h, b1)));
        Node yPred = tf.name("y_pred", tf.matmul(hRelu, w2));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.sub(y, yPred))));
        if (withAssigns) {
            List<Node> g = tf.gradients(loss, w1, b1, w2);
            tf.name("new_w1", tf.assign(w1, tf.sub(w1, tf.mul(1e-3f, g.get(0)))));
            tf.name("new_b1", tf.assign(b1, tf.sub(b1, tf.mul(1e-3f, g.get(1)))));
            tf.name("new_w2", tf.assign(w2, tf.sub(w2, tf.mul(1e-3f, g.get(2)))));
        }
        return tf.build().bind(5);
    }

    private static Map<String, Tensor> networkFeeds() {
        return Map.of("x", random(10, 5, 12), "y", random(11, 5, 3));
    }

    @Test
    void inferenceWithSeveralFetchesAndNoTargets() {
        Graph g = network(false);
        List<String> fetches = List.of("y_pred", "h", "h_relu", "loss", "w1", "x", "loss");
        Differential.Case c = new Differential.Case("inference", g, fetches, List.of(), networkFeeds());
        Session[] s = Differential.sessions(c);
        Tensor w1 = s[1].variable("w1");
        List<Tensor> first = null;
        for (int run = 0; run < 3; run++) {
            List<Tensor> r = s[0].run(c.feeds());
            List<Tensor> q = s[1].run(c.feeds());
            assertEquals(fetches.size(), q.size());
            for (int i = 0; i < fetches.size(); i++) {
                assertClose("run " + run + ", fetch " + fetches.get(i), r.get(i), q.get(i));
            }
            if (first == null) {
                first = q;
            } else {
                for (int i = 0; i < fetches.size(); i++) {
                    assertEquals(first.get(i), q.get(i), "an inference run changed fetch " + fetches.get(i));
                }
            }
            Differential.compareVariables("inference run " + run, s[0], s[1]);
        }
        assertEquals(w1, s[1].variable("w1"), "an inference-only run changed a variable");
        assertEquals(random(10, 5, 12), first.get(5), "fetching a placeholder returns what was fed");
        assertEquals(first.get(3), first.get(6), "the same fetch twice");
        // the fetched relu is what relu does to the fetched pre-activation plus bias
        float[] h = first.get(1).data();
        float[] hr = first.get(2).data();
        float[] b1 = s[1].variable("b1").data();
        for (int i = 0; i < h.length; i++) {
            assertEquals(Math.max(h[i] + b1[i % 20], 0f), hr[i], 1e-5f);
        }
    }

    @Test
    void fetchingAVariableGivesItsValueBeforeTheRunAndAnAssignTheNewValue() {
        Graph g = network(true);
        List<String> fetches = List.of("w1", "loss", "new_w1", "b1", "new_w2");
        Differential.Case c = new Differential.Case("fetch variable", g, fetches, g.sideEffects(), networkFeeds());
        Session[] s = Differential.sessions(c);
        for (int run = 0; run < STEPS; run++) {
            for (Session session : s) {
                Tensor w1Before = session.variable("w1");
                Tensor b1Before = session.variable("b1");
                List<Tensor> r = session.run(c.feeds());
                assertEquals(w1Before, r.get(0), "fetched w1 must be its value before run " + run);
                assertEquals(b1Before, r.get(3), "fetched b1 must be its value before run " + run);
                assertEquals(session.variable("w1"), r.get(2), "fetched assign new_w1 must be w1's new value");
                assertEquals(session.variable("w2"), r.get(4), "fetched assign new_w2 must be w2's new value");
                assertTrue(!w1Before.equals(r.get(2)), "the step changed w1");
            }
            Differential.compareVariables("run " + run, s[0], s[1]);
        }
        // and both engines agree on every fetch
        Differential.compare(c, STEPS);
    }

    @Test
    void assignsThatSwapTwoVariablesBothSeeTheOldValues() {
        Tf tf = new Tf();
        Node a = tf.variable("a", random(20, 3, 4));
        Node b = tf.variable("b", random(21, 3, 4));
        tf.name("new_a", tf.assign(a, b));
        tf.name("new_b", tf.assign(b, a));
        Graph g = tf.build();
        for (List<String> fetches : List.of(List.<String>of(), List.of("a", "b", "new_a", "new_b"))) {
            Differential.Case c = new Differential.Case("swap", g, fetches, g.sideEffects(), Map.of());
            Session[] s = Differential.sessions(c);
            for (Session session : s) {
                for (int run = 0; run < 3; run++) {
                    Tensor oldA = session.variable("a");
                    Tensor oldB = session.variable("b");
                    List<Tensor> r = session.run(Map.of());
                    assertEquals(oldB, session.variable("a"), "a must get b's old value");
                    assertEquals(oldA, session.variable("b"), "b must get a's old value");
                    if (!fetches.isEmpty()) {
                        assertEquals(List.of(oldA, oldB, oldB, oldA), r);
                    }
                }
            }
            Differential.compare(c, 3);
        }
    }

    @Test
    void assignsThatRotateAndMixVariablesSeeTheOldValues() {
        Tf tf = new Tf();
        Node a = tf.variable("a", random(30, 2, 6));
        Node b = tf.variable("b", random(31, 12));
        Node c = tf.variable("c", random(32, 2, 6));
        Node x = tf.placeholder("x", Tf.shape(2, 6));
        tf.assign(a, tf.reshape(b, 2, 6)); // through a reshape: the same array
        tf.assign(b, tf.add(tf.reshape(c, -1), tf.reshape(a, 12)));
        tf.assign(c, tf.sub(tf.mul(a, x), tf.mul(0.5f, c)));
        tf.name("sum", tf.reduceSum(tf.add(a, c)));
        Graph g = tf.build();
        Map<String, Tensor> feeds = Map.of("x", random(33, 2, 6));
        Differential.Case cs = new Differential.Case("rotate", g, List.of("sum", "b"), g.sideEffects(), feeds);
        Session[] s = Differential.sessions(cs);
        for (Session session : s) {
            float[] oldA = session.variable("a").data();
            float[] oldB = session.variable("b").data();
            float[] oldC = session.variable("c").data();
            float[] xs = feeds.get("x").data();
            List<Tensor> r = session.run(feeds);
            float sum = 0;
            float[] newB = new float[12];
            float[] newC = new float[12];
            for (int i = 0; i < 12; i++) {
                sum += oldA[i] + oldC[i];
                newB[i] = oldC[i] + oldA[i];
                newC[i] = oldA[i] * xs[i] - 0.5f * oldC[i];
            }
            assertArrayEquals(oldB, session.variable("a").data(), "a <- reshape(old b)");
            assertArrayEquals(newB, session.variable("b").data(), 1e-6f, "b <- old c + old a");
            assertArrayEquals(newC, session.variable("c").data(), 1e-6f, "c <- old a * x - 0.5 old c");
            assertEquals(sum, r.get(0).item(), 1e-5f);
            assertArrayEquals(oldB, r.get(1).data(), "fetched b is its old value");
        }
        Differential.compare(cs, 4);
    }

    @Test
    void anUpdateFoldedIntoAMatmulAndAnAssignReadingTheSameVariable() {
        // w's update is folded into an in-place sgd_update kernel; v <- w must still see the old w
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(6, 5));
        Node w = tf.variable("w", random(40, 5, 20));
        Node v = tf.variable("v", random(41, 5, 20));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.matmul(x, w))));
        Node grad = tf.gradients(loss, w).get(0);
        tf.assign(w, tf.sub(w, tf.mul(0.01f, grad)));
        tf.assign(v, w);
        Graph g = tf.build();
        Map<String, Tensor> feeds = Map.of("x", random(42, 6, 5));
        Differential.Case c = new Differential.Case("update and copy", g, List.of("loss"), g.sideEffects(), feeds);
        Session[] s = Differential.sessions(c);
        for (Session session : s) {
            Tensor oldW = session.variable("w");
            session.run(feeds);
            assertEquals(oldW, session.variable("v"), "v <- w reads w from before the run");
            assertTrue(!oldW.equals(session.variable("w")));
        }
        Differential.compare(c, STEPS);
    }

    @Test
    void foldedUpdatesThatReadEachOthersVariables() {
        // w1 <- w1 - lr (w2 @ x) and w2 <- w2 - lr (w1 @ x): no in-place order exists; the compiler must not fold both
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(4, 4));
        Node w1 = tf.variable("w1", random(50, 4, 4));
        Node w2 = tf.variable("w2", random(51, 4, 4));
        tf.assign(w1, tf.sub(w1, tf.mul(0.1f, tf.matmul(w2, x))));
        tf.assign(w2, tf.sub(w2, tf.mul(0.1f, tf.matmul(w1, x))));
        tf.name("s", tf.reduceSum(tf.mul(w1, w2)));
        Graph g = tf.build();
        Map<String, Tensor> feeds = Map.of("x", random(52, 4, 4));
        Differential.compare(new Differential.Case("cross updates", g, List.of("s"), g.sideEffects(), feeds), STEPS);
        // and a chain (w1 reads w2, w2 reads w3) that can be ordered
        Tf tf2 = new Tf();
        Node x2 = tf2.placeholder("x", Tf.shape(4, 20));
        Node a = tf2.variable("a", random(53, 4, 20));
        Node b = tf2.variable("b", random(54, 20, 20));
        Node c = tf2.variable("c", random(55, 4, 20));
        tf2.assign(a, tf2.sub(a, tf2.mul(0.01f, tf2.matmul(x2, b))));
        tf2.assign(b, tf2.sub(b, tf2.mul(0.01f, tf2.matmul(c, x2, true, false))));
        tf2.assign(c, tf2.add(c, tf2.mul(0.01f, tf2.matmul(a, b))));
        Graph g2 = tf2.build();
        Differential.compare(new Differential.Case("chained updates", g2, List.of(), g2.sideEffects(),
                Map.of("x", random(56, 4, 20))), STEPS);
    }

    /**
     * Assignments of the forms fold-sgd-updates folds into in-place kernels, updates that read variables
     * other updates write (which must be ordered), and near misses it must leave alone: a product that
     * broadcasts to the variable, a fetched assign.
     */
    @Test
    void updatesOfTheFoldedFormsAndNearMisses() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3, 5));
        Node r = tf.placeholder("r", Tf.shape(1, 5));
        Node a = tf.variable("a", random(100, 5, 20));
        Node b = tf.variable("b", random(101, 5, 4));
        Node c = tf.variable("c", random(102, 3, 4));
        Node d = tf.variable("d", random(103, 5, 4));
        Node e = tf.variable("e", random(104, 3, 4));
        Node f = tf.variable("f", random(105, 3, 20));
        Node g = tf.variable("g", random(106, 3, 4));
        Node h = tf.variable("h", random(107, 1, 4));
        Node k = tf.variable("k", random(108, 3, 4));
        tf.assign(a, tf.sub(a, tf.mul(0.01f, tf.matmul(x, f, true, false))));  // w - c * (a^T @ b), 20 columns
        tf.assign(b, tf.add(b, tf.mul(0.02f, tf.matmul(x, e, true, false))));  // w + c * product, reads e (updated)
        tf.assign(c, tf.sub(c, tf.matmul(x, d)));                                // w - product, reads d (updated)
        tf.assign(d, tf.sub(d, tf.mul(0.5f, tf.matmul(r, h, true, false))));    // an outer product
        tf.assign(e, tf.add(tf.mul(0.03f, tf.matmul(x, d)), e));                // c * product + w, reads d
        tf.assign(g, tf.sub(g, tf.mul(0.1f, tf.matmul(r, b))));                 // [1,4] broadcast to [3,4]
        tf.name("new_k", tf.assign(k, tf.sub(k, tf.mul(0.1f, tf.matmul(x, b))))); // fetched: its value must exist
        Graph graph = tf.build();
        Differential.Case cs = new Differential.Case("sgd forms", graph, List.of("new_k"), graph.sideEffects(),
                Map.of("x", random(109, 3, 5), "r", random(110, 1, 5)));
        Session[] s = Differential.sessions(cs);
        for (Session session : s) {
            Map<String, float[]> old = new HashMap<>();
            for (String v : session.variableNames()) {
                old.put(v, session.variable(v).data());
            }
            List<Tensor> fetched = session.run(cs.feeds());
            // two of the updates by hand: g broadcasts r @ b over its rows; c reads d from before the run
            float[] xs = cs.feeds().get("x").data();
            float[] rs = cs.feeds().get("r").data();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    float rb = 0;
                    float xd = 0;
                    for (int q = 0; q < 5; q++) {
                        rb += rs[q] * old.get("b")[q * 4 + j];
                        xd += xs[i * 5 + q] * old.get("d")[q * 4 + j];
                    }
                    assertEquals(old.get("g")[i * 4 + j] - 0.1f * rb, session.variable("g").data()[i * 4 + j], 1e-5f);
                    assertEquals(old.get("c")[i * 4 + j] - xd, session.variable("c").data()[i * 4 + j], 1e-5f);
                }
            }
            assertEquals(session.variable("k"), fetched.get(0));
        }
        Differential.compare(cs, STEPS);
    }

    static Stream<boolean[]> selfReadingUpdates() {
        List<boolean[]> l = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            l.add(new boolean[] {(t & 4) != 0, (t & 2) != 0, (t & 1) != 0});
        }
        return l.stream();
    }

    /**
     * {@code assign(w, w - lr * (w @ x))}: the product reads w, which a folded in-place update would
     * overwrite while still reading it.
     */
    @ParameterizedTest(name = "w first={0}")
    @MethodSource("selfReadingUpdates")
    void anUpdateWhoseProductReadsItsOwnVariable(boolean[] flags) {
        boolean wFirst = flags[0];
        boolean ta = flags[1];
        boolean tb = flags[2];
        for (int n : new int[] {3, 20}) {
            Tf tf = new Tf();
            Node x = tf.placeholder("x", Tf.shape(n, n));
            Node w = tf.variable("w", random(60, n, n));
            Node p = wFirst ? tf.matmul(w, x, ta, tb) : tf.matmul(x, w, ta, tb);
            tf.assign(w, tf.sub(w, tf.mul(0.1f, p)));
            Graph g = tf.build();
            Differential.compare(new Differential.Case("w <- w - 0.1 " + (wFirst ? "w @ x" : "x @ w") + " n=" + n
                    + " ta=" + ta + " tb=" + tb, g, List.of(), g.sideEffects(), Map.of("x", random(61, n, n))), 2);
        }
    }

    @Test
    void reshapesOfVariablesAndFeedsInInference() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 6));
        Node w = tf.variable("w", random(90, 3, 4));
        Node v = tf.variable("v", random(91, 12));
        tf.name("x_rows", tf.reshape(x, -1, 3));
        tf.name("w_flat", tf.reshape(w, -1));
        tf.name("v_matrix", tf.reshape(v, 4, 3));
        tf.name("product", tf.matmul(tf.reshape(x, -1, 3), tf.reshape(v, 3, 4)));
        tf.name("mixed", tf.add(tf.reshape(w, 12), v));
        tf.name("scalar", tf.mul(tf.reshape(tf.reshape(w, 12, 1), 2, 6), tf.reshape(v, 2, 1, 6)));
        Graph g = tf.build().bind(4);
        List<String> fetches = List.of("x_rows", "w_flat", "v_matrix", "product", "mixed", "scalar");
        Differential.Case c = new Differential.Case("reshapes", g, fetches, List.of(), Map.of("x", random(92, 4, 6)));
        List<Tensor> r = Differential.compare(c, 2);
        assertEquals(Shape.of(8, 3), r.get(0).shape());
        assertArrayEquals(random(92, 4, 6).data(), r.get(0).data());
        assertEquals(Shape.of(8, 4), r.get(3).shape());
        assertEquals(Shape.of(2, 2, 6), r.get(5).shape());
    }

    /** The smallest program showing the bug the disabled {@link #reshapes} cases run into. */
    @Test
    void reshapeOfAComputedValue() {
        Tf tf = new Tf();
        Node a = tf.variable("a", random(95, 2, 6));
        Node x = tf.placeholder("x", Tf.shape(2, 6));
        tf.name("flat", tf.reshape(tf.add(a, x), -1));
        tf.name("sum", tf.reduceSum(tf.reshape(tf.matmul(a, x, false, true), -1)));
        Graph g = tf.build();
        Differential.compare(new Differential.Case("reshape of a kernel's output", g, List.of("flat", "sum"), List.of(),
                Map.of("x", random(96, 2, 6))), 1);
    }

    @Test
    void setVariableBetweenRunsIsSeenByTheCompiledClass() {
        Graph g = network(true);
        Differential.Case c = new Differential.Case("set variable", g, List.of("loss"), g.sideEffects(), networkFeeds());
        Session[] s = Differential.sessions(c);
        for (int run = 0; run < 3; run++) {
            Tensor w2 = random(70 + run, 20, 3);
            for (Session session : s) {
                session.setVariable("w2", w2);
            }
            List<Tensor> r = s[0].run(c.feeds());
            List<Tensor> q = s[1].run(c.feeds());
            assertClose("loss after setVariable, run " + run, r.get(0), q.get(0));
            Differential.compareVariables("after setVariable, run " + run, s[0], s[1]);
        }
    }

    @Test
    void theToleranceRejectsRealDifferences() {
        // the differential check itself must be able to fail
        assertTrue(Differential.close(1f, 1.00005f));
        assertTrue(Differential.close(1000f, 1000.05f));
        assertTrue(Differential.close(1e-6f, 5e-5f));
        assertTrue(!Differential.close(1f, 1.0002f));
        assertTrue(!Differential.close(1000f, 1000.2f));
        assertTrue(!Differential.close(0f, Float.NaN));
        assertTrue(Differential.close(Float.NaN, Float.NaN));
        assertTrue(!Differential.close(Float.POSITIVE_INFINITY, Float.MAX_VALUE));
        Tensor a = random(80, 3, 4);
        float[] d = a.data().clone();
        d[7] += 0.01f;
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertClose("perturbed", a, new Tensor(a.shape(), d)));
    }
}
