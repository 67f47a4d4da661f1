package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.dsl.Tf;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.FiniteDifferences;
import dev.kiln.testing.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** placeholder, variable, constant, zeros, ones, random_normal; feeds and variable state. */
class SourceOpsTest {

    // ------------------------------------------------------------------ placeholders and feeds

    @Test
    void randomUniformAndTruncatedNormalStayInTheirRangesAndFollowTheirSeeds() {
        Tf tf = new Tf();
        Node u = tf.random().uniform(Tf.shape(100, 50), -2f, 3f, 7L);
        Node t = tf.random().truncatedNormal(Tf.shape(100, 50), 1f, 0.5f, 7L);
        float[] uv = Eval.eval(tf, u).data();
        float[] tv = Eval.eval(tf, t).data();
        double mean = 0;
        for (float v : uv) {
            org.junit.jupiter.api.Assertions.assertTrue(v >= -2f && v < 3f, "uniform value " + v);
            mean += v / uv.length;
        }
        assertEquals(0.5, mean, 0.1);
        for (float v : tv) {
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(v - 1f) <= 1f + 1e-6f, "truncated value " + v);
        }
        assertEquals("random_uniform", u.op().name());
        assertEquals("mean=1.0 stddev=0.5 seed=7", t.op().attributes());
        // an explicit seed gives the same values whatever the run's seed; without one, they follow it
        Tf again = new Tf();
        Node u2 = again.random().uniform(Tf.shape(100, 50), -2f, 3f, 7L);
        Node free = again.random().uniform(Tf.shape(4), 0f, 1f, null);
        Graph g = again.build();
        Interpreter a = new Interpreter(g);
        a.initialize(1);
        Interpreter b = new Interpreter(g);
        b.initialize(2);
        assertAllClose(new Tensor(Shape.of(100, 50), uv), a.run(Map.of(), List.of(u2), List.of()).get(0));
        assertNotEquals(a.run(Map.of(), List.of(free), List.of()).get(0).data()[0], b.run(Map.of(), List.of(free), List.of()).get(0).data()[0]);
        assertKilnErrorAt(() -> tf.random().uniform(Tf.shape(2), 1f, 1f, null),
                "random_uniform: minval must be below maxval, got 1.0 and 1.0");
    }

    @Test
    void placeholderHasItsDeclaredShapeAndIsFed() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 2));
        assertEquals(Tf.shape(Tf.NONE, 2), x.shape());
        assertEquals("x", x.name());
        Node y = tf.name("y", tf.mul(x, 10f));
        Graph g = tf.build().bind(3);
        Interpreter in = new Interpreter(g);
        in.initialize(0);
        Tensor xv = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertAllClose(Tensors.of(new float[] {10, 20, 30, 40, 50, 60}, 3, 2),
                in.run(Map.of("x", xv), List.of(g.node("y")), List.of()).get(0));
        assertEquals(y.id(), g.node("y").id());
    }

    @Test
    void aNameCannotBeUsedForTwoPlaceholdersOrVariables() {
        Tf tf = new Tf();
        tf.placeholder("x", Tf.shape(2));
        assertKilnErrorAt(() -> tf.placeholder("x", Tf.shape(3)), "'x' is already the placeholder defined at");
        assertKilnErrorAt(() -> tf.variable("x", vec(1)), "'x' is already the placeholder defined at");
    }

    @Test
    void missingFeedIsAnErrorNamingThePlaceholderAndItsShape() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node y = tf.mul(x, 2f);
        Interpreter in = Eval.interpreter(tf);
        assertKilnError(() -> in.run(Map.of(), List.of(y), List.of()), "no feed", "'x'", "[2,3]");
    }

    @Test
    void feedOfTheWrongShapeNamesTheFeedTheExpectedAndTheActualShape() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        tf.name("y", tf.mul(x, 2f));
        Graph g = tf.build().bind(2);
        Interpreter in = new Interpreter(g);
        in.initialize(0);
        Node y = g.node("y");
        assertKilnError(() -> in.run(Map.of("x", Tensors.random(1, 3, 2)), List.of(y), List.of()),
                "feed 'x'", "expected shape [2,3]", "got shape [3,2]");
        assertKilnError(() -> in.run(Map.of("x", Tensors.random(1, 6)), List.of(y), List.of()),
                "feed 'x'", "expected shape [2,3]", "got shape [6]");
        assertKilnError(() -> in.run(Map.of("x", Tensors.random(1, 3, 3)), List.of(y), List.of()),
                "feed 'x'", "expected shape [2,3]", "got shape [3,3]");
        assertKilnError(() -> in.run(Map.of("z", Tensors.random(1, 2, 3)), List.of(y), List.of()),
                "feed 'z'", "no placeholder", "x");
    }

    @Test
    void anUnboundGraphCannotBeInterpreted() {
        Tf tf = new Tf();
        tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Graph g = tf.build();
        assertKilnError(() -> new Interpreter(g), "bind");
    }

    // ------------------------------------------------------------------ variables

    @Test
    void variableTakesItsInitialValuesShapeAndValue() {
        Tf tf = new Tf();
        Node w = tf.variable("w", mat(new float[] {1, 2}, new float[] {3, 4}));
        Node v = tf.variable("v", tf.mul(tf.ones(Tf.shape(3)), 2f));
        assertEquals(Tf.shape(2, 2), w.shape());
        assertEquals(Tf.shape(3), v.shape());
        Interpreter in = Eval.interpreter(tf);
        assertAllClose(mat(new float[] {1, 2}, new float[] {3, 4}), in.variable("w"));
        assertAllClose(vec(2, 2, 2), in.variable("v"));
        assertEquals(List.of("w", "v"), in.variableNames());
        assertAllClose(mat(new float[] {1, 2}, new float[] {3, 4}), in.run(Map.of(), List.of(w), List.of()).get(0));
    }

    @Test
    void variableWhoseInitialValueHasNoneDimensionsIsRejected() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node init = tf.mul(x, 2f);
        assertKilnErrorAt(() -> tf.variable("v", init), "variable 'v'", "[?,3]", "not fully known");
    }

    @Test
    void readingAnUninitializedVariableIsAnErrorNamingIt() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node y = tf.mul(w, 2f);
        Interpreter in = new Interpreter(tf.build());
        assertKilnError(() -> in.run(Map.of(), List.of(y), List.of()), "variable 'w'", "not initialized");
        assertKilnError(() -> in.variable("w"), "variable 'w'", "not initialized");
        in.setVariable("w", vec(3, 4)); // setting it is one way to initialize it
        assertAllClose(vec(6, 8), in.run(Map.of(), List.of(y), List.of()).get(0));
    }

    @Test
    void setVariableChecksNameAndShape() {
        Tf tf = new Tf();
        tf.variable("w", vec(1, 2));
        Interpreter in = Eval.interpreter(tf);
        assertKilnError(() -> in.setVariable("w", vec(1, 2, 3)), "variable 'w'", "[2]", "[3]");
        assertKilnError(() -> in.setVariable("nope", vec(1, 2)), "no variable named 'nope'", "w");
    }

    @Test
    void anInitializerMayNotReadAPlaceholder() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2));
        tf.variable("v", tf.mul(x, 2f));
        Interpreter in = new Interpreter(tf.build());
        assertKilnError(() -> in.initialize(0), "initializer of 'v'", "placeholder 'x'");
    }

    // ------------------------------------------------------------------ constants

    @Test
    void constantsZerosOnesAndScalars() {
        Tf tf = new Tf();
        Node c = tf.constant(new float[] {1, 2, 3, 4, 5, 6}, Tf.shape(3, 2));
        Node z = tf.zeros(Tf.shape(2, 2));
        Node o = tf.ones(Tf.shape(3));
        Node s = tf.constant(2.5f);
        assertEquals(Tf.shape(3, 2), c.shape());
        assertEquals(Shape.SCALAR, s.shape());
        List<Tensor> v = Eval.evalAll(tf, Map.of(), c, z, o, s, tf.add(z, s));
        assertAllClose(mat(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6}), v.get(0));
        assertAllClose(mat(new float[] {0, 0}, new float[] {0, 0}), v.get(1));
        assertAllClose(vec(1, 1, 1), v.get(2));
        assertAllClose(Tensors.scalar(2.5f), v.get(3));
        assertAllClose(mat(new float[] {2.5f, 2.5f}, new float[] {2.5f, 2.5f}), v.get(4));
    }

    @Test
    void constantIsCopiedFromTheCallersArray() {
        Tf tf = new Tf();
        float[] data = {1, 2, 3};
        Node c = tf.constant(data, Tf.shape(3));
        data[0] = 100;
        assertAllClose(vec(1, 2, 3), Eval.eval(tf, c));
    }

    @Test
    void zerosAndRandomNormalNeedAKnownShape() {
        Tf tf = new Tf();
        assertKilnErrorAt(() -> tf.zeros(Tf.shape(Tf.NONE, 2)), "[?,2]");
        assertKilnErrorAt(() -> tf.randomNormal(Tf.shape(Tf.NONE, 2)), "random_normal", "[?,2]");
    }

    // ------------------------------------------------------------------ random_normal

    @Test
    void randomNormalHasTheRequestedMeanAndStandardDeviation() {
        Tf tf = new Tf();
        Node r = tf.randomNormal(Tf.shape(200, 100), 1.5f, 2f, null);
        assertEquals(Tf.shape(200, 100), r.shape());
        Tensor t = Eval.eval(tf, r);
        double sum = 0;
        double sq = 0;
        for (float f : t.data()) {
            sum += f;
            sq += f * (double) f;
        }
        int n = t.size();
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertEquals(1.5, mean, 0.05, "mean");
        assertEquals(2.0, sd, 0.05, "stddev");
    }

    @Test
    void randomNormalRejectsANegativeStddev() {
        Tf tf = new Tf();
        assertKilnErrorAt(() -> tf.randomNormal(Tf.shape(2), 0f, -1f, null), "random_normal", "stddev", "-1.0");
    }

    @Test
    void twoUnseededRandomNormalsInOneProgramDiffer() {
        Tf tf = new Tf();
        Node a = tf.randomNormal(Tf.shape(5));
        Node b = tf.randomNormal(Tf.shape(5));
        List<Tensor> v = Eval.evalAll(tf, Map.of(), a, b);
        assertNotEquals(v.get(0), v.get(1));
    }

    @Test
    void gradientThroughARandomFactorIsThatFactor() {
        // loss = sum(w * r): dw = r, evaluated in the same run
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.random(1, 3, 4));
        Node r = tf.randomNormal(Tf.shape(3, 4), 0f, 1f, 7L);
        Node loss = tf.name("loss", tf.reduceSum(tf.mul(w, r)));
        Node g = tf.gradients(loss, w).get(0);
        List<Tensor> v = Eval.evalAll(tf, Map.of(), g, r);
        assertAllClose(v.get(1), v.get(0));
        FiniteDifferences.of(tf.build(), "loss").wrt("w", g).verify();
    }

    @Test
    void gradientWithRespectToAPlaceholder() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3, 2));
        Node w = tf.variable("w", Tensors.random(2, 2, 2));
        Node loss = tf.name("loss", tf.reduceSum(tf.sigmoid(tf.matmul(x, w))));
        Node gx = tf.gradients(loss, x).get(0);
        assertEquals(Tf.shape(3, 2), gx.shape());
        FiniteDifferences.of(tf.build(), "loss").feed("x", Tensors.random(3, 3, 2)).wrt("x", gx).verify();
    }
}
