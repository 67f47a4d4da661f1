package dev.kiln.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.FiniteDifferences;
import dev.kiln.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The finite-difference checker ({@link FiniteDifferences}) itself: it passes right gradients and catches wrong ones. */
class FiniteDifferencesTest {
    // smallNet(): loss = sum(tanh(x @ w)) with x fed [4,3] and w [3,2]; its gradients go to dw and dx
    private Node dw;
    private Node dx;
    private Tf tf;

    private Graph smallNet() {
        tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(4, 3));
        Node w = tf.variable("w", Tensors.random(1, 3, 2));
        Node loss = tf.name("loss", tf.reduceSum(tf.tanh(tf.matmul(x, w))));
        List<Node> g = tf.gradients(loss, w, x);
        dw = g.get(0);
        dx = g.get(1);
        return tf.build();
    }

    private static final Tensor X = Tensors.random(2, 4, 3);
    private static final Tensor W = Tensors.random(3, 3, 2);

    @Test
    void rightGradientsPass() {
        Graph g = smallNet();
        FiniteDifferences fd = FiniteDifferences.of(g, "loss").feed("x", X).variable("w", W).wrt("w", dw).wrt("x", dx);
        fd.verify();
        assertEquals(6, fd.checkedCount("w"));
        assertEquals(12, fd.checkedCount("x"));
    }

    @Test
    void doubledGradientIsDetected() {
        Graph g0 = smallNet();
        Node wrong = tf.mul(dw, 2f); // deliberately twice the true gradient
        Graph g = tf.build();
        // the right one passes at this point ...
        FiniteDifferences.of(g0, "loss").feed("x", X).variable("w", W).wrt("w", dw).verify();
        // ... and twice it does not, at every element
        FiniteDifferences fd = FiniteDifferences.of(g, "loss").feed("x", X).variable("w", W).wrt("w", wrong);
        List<FiniteDifferences.Comparison> all = fd.compare();
        assertEquals(6, all.size());
        assertTrue(all.stream().noneMatch(FiniteDifferences.Comparison::ok), all::toString);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, fd::verify);
        assertTrue(e.getMessage().contains("d(loss)/d(w)[0,0]"), e.getMessage());
        assertTrue(e.getMessage().contains("6 of 6"), e.getMessage());
    }

    @Test
    void doubledGradientIsDetectedWithPlainCentralDifferencesToo() {
        smallNet();
        Node wrong = tf.mul(2f, dx);
        Graph g = tf.build();
        assertThrows(AssertionFailedError.class,
                () -> FiniteDifferences.of(g, "loss").plainCentral().feed("x", X).variable("w", W).wrt("x", wrong).verify());
    }

    @Test
    void negatedAndZeroGradientsAreDetected() {
        smallNet();
        Node negated = tf.neg(dw);
        Node zero = tf.mul(dw, 0f);
        Graph g = tf.build();
        assertThrows(AssertionFailedError.class,
                () -> FiniteDifferences.of(g, "loss").feed("x", X).variable("w", W).wrt("w", negated).verify());
        assertThrows(AssertionFailedError.class,
                () -> FiniteDifferences.of(g, "loss").feed("x", X).variable("w", W).wrt("w", zero).verify());
    }

    @Test
    void aSingleWrongElementIsFoundAndNamed() {
        smallNet();
        float[] bump = new float[6];
        bump[3] = 0.5f; // element [1,1] of a [3,2] tensor
        Node wrong = tf.add(dw, tf.constant(bump, Tf.shape(3, 2)));
        Graph g = tf.build();
        FiniteDifferences fd = FiniteDifferences.of(g, "loss").feed("x", X).variable("w", W).wrt("w", wrong);
        List<FiniteDifferences.Comparison> bad = fd.compare().stream().filter(c -> !c.ok()).toList();
        assertEquals(1, bad.size(), bad::toString);
        assertEquals("[1,1]", bad.get(0).index());
        assertEquals(0.5, bad.get(0).analytic() - bad.get(0).numeric(), 0.01);
    }

    @Test
    void aFivePercentErrorInALargeGradientIsDetected() {
        tf = new Tf();
        Node w = tf.variable("w", Tensors.positive(4, 5));
        Node loss = tf.name("loss", tf.reduceSum(tf.mul(tf.square(w), 3f))); // gradient 6w, in [3, 12]
        Node g = tf.gradients(loss, w).get(0);
        Node off = tf.mul(g, 1.05f);
        Graph graph = tf.build();
        FiniteDifferences.of(graph, "loss").wrt("w", g).verify();
        assertThrows(AssertionFailedError.class, () -> FiniteDifferences.of(graph, "loss").wrt("w", off).verify());
    }

    @Test
    void gradientOfTheWrongShapeIsRejected() {
        Graph g = smallNet();
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> FiniteDifferences.of(g, "loss").feed("x", X).variable("w", W).wrt("w", dx).verify());
        assertTrue(e.getMessage().contains("shape [4,3]") && e.getMessage().contains("[3,2]"), e.getMessage());
    }

    @Test
    void largeTensorsAreSampled() {
        tf = new Tf();
        Node w = tf.variable("w", Tensors.random(5, 15, 15));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.sub(w, 0.25f))));
        Node g = tf.gradients(loss, w).get(0);
        Node wrong = tf.mul(g, 3f);
        Graph graph = tf.build();
        FiniteDifferences fd = FiniteDifferences.of(graph, "loss").wrt("w", g).maxSamples(50);
        fd.verify();
        assertEquals(50, fd.checkedCount("w"));
        List<FiniteDifferences.Comparison> all = FiniteDifferences.of(graph, "loss").wrt("w", g).compare();
        assertEquals(200, all.size());
        assertEquals(200, all.stream().mapToInt(FiniteDifferences.Comparison::flat).distinct().count());
        assertTrue(all.stream().allMatch(FiniteDifferences.Comparison::ok), all::toString);
        assertThrows(AssertionFailedError.class, () -> FiniteDifferences.of(graph, "loss").wrt("w", wrong).verify());
    }

    @Test
    void numericDerivativesAreAccurate() {
        // d/dx sum(exp(x)) = exp(x), checked against Math.exp, independently of Kiln's gradient rules
        tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(6));
        tf.name("loss", tf.reduceSum(tf.exp(x)));
        Node stand = tf.mul(x, 1f); // any node of x's shape: only the numeric side is inspected
        Graph graph = tf.build();
        Tensor xv = Tensors.uniform(6, -2f, 2f, 6);
        List<FiniteDifferences.Comparison> all = FiniteDifferences.of(graph, "loss").feed("x", xv).wrt("x", stand)
                .compare();
        for (FiniteDifferences.Comparison c : all) {
            double exact = Math.exp(xv.data()[c.flat()]);
            assertEquals(exact, c.numeric(), 2e-3 * exact, c::toString);
        }
    }

    @Test
    void allCloseNamesTheIndexAndBothValues() {
        Tensor expected = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor actual = Tensors.of(new float[] {1, 2, 3, 4, 5.5f, 6}, 2, 3);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Tensors.assertAllClose(expected, actual));
        assertTrue(e.getMessage().contains("[1,1]") && e.getMessage().contains("5.0")
                && e.getMessage().contains("5.5") && e.getMessage().contains("1 of 6"), e.getMessage());
        AssertionFailedError s = assertThrows(AssertionFailedError.class,
                () -> Tensors.assertAllClose(expected, Tensors.of(expected.data(), 3, 2)));
        assertTrue(s.getMessage().contains("[2,3]") && s.getMessage().contains("[3,2]"), s.getMessage());
        Tensors.assertAllClose(expected, Tensors.of(new float[] {1, 2, 3, 4, 5.00001f, 6}, 2, 3));
    }
}
