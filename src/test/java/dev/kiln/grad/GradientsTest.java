package dev.kiln.grad;

import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** tf.gradients on whole models, fan-out, intermediate nodes, and its errors. */
class GradientsTest {
    private static final int N = 8;

    private static Tensor oneHot(long seed, int n, int classes) {
        java.util.Random r = new java.util.Random(seed);
        float[] d = new float[n * classes];
        for (int i = 0; i < n; i++) {
            d[i * classes + r.nextInt(classes)] = 1f;
        }
        return Tensors.of(d, n, classes);
    }

    // ------------------------------------------------------------------ models

    @Test
    void multiLayerPerceptronWithBiasesTanhAndMeanSquaredError() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 5));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 3));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(5, 6), 0f, 0.5f, 1L));
        Node b1 = tf.variable("b1", tf.zeros(Tf.shape(6)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(6, 3), 0f, 0.5f, 2L));
        Node b2 = tf.variable("b2", tf.zeros(Tf.shape(3)));
        Node h = tf.tanh(tf.add(tf.matmul(x, w1), b1));
        Node out = tf.add(tf.matmul(h, w2), b2);
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(out, y))));
        List<Node> g = tf.gradients(loss, w1, b1, w2, b2, x);
        assertEquals(List.of(Tf.shape(5, 6), Tf.shape(6), Tf.shape(6, 3), Tf.shape(3), Tf.shape(Tf.NONE, 5)),
                g.stream().map(Node::shape).toList());
        Graph bound = tf.build().bind(N);
        FiniteDifferences.of(bound, "loss")
                .feed("x", Tensors.random(10, N, 5)).feed("y", Tensors.random(11, N, 3))
                .variable("b1", Tensors.uniform(12, -0.3f, 0.3f, 6)).variable("b2", Tensors.uniform(13, -0.3f, 0.3f, 3))
                .wrt("w1", g.get(0)).wrt("b1", g.get(1)).wrt("w2", g.get(2)).wrt("b2", g.get(3)).wrt("x", g.get(4))
                .verify();
    }

    @Test
    void sigmoidRegression() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(N, 4));
        Node t = tf.placeholder("t", Tf.shape(N, 2));
        Node w = tf.variable("w", Tensors.random(20, 4, 2));
        Node b = tf.variable("b", vec(0.1f, -0.2f));
        Node p = tf.sigmoid(tf.add(tf.matmul(x, w), b));
        Node loss = tf.name("loss", tf.mul(0.5f, tf.reduceSum(tf.square(tf.sub(p, t)))));
        List<Node> g = tf.gradients(loss, w, b);
        FiniteDifferences.of(tf.build(), "loss")
                .feed("x", Tensors.uniform(21, -2f, 2f, N, 4)).feed("t", Tensors.uniform(22, 0f, 1f, N, 2))
                .wrt("w", g.get(0)).wrt("b", g.get(1)).verify();
    }

    /** Logits z = x @ w + b, softmax written out, mean cross-entropy against one-hot labels. */
    private static final class Softmax {
        final Tf tf = new Tf();
        final Node x = tf.placeholder("x", Tf.shape(N, 4));
        final Node labels = tf.placeholder("labels", Tf.shape(N, 3));
        final Node w = tf.variable("w", Tensors.random(30, 4, 3));
        final Node b = tf.variable("b", vec(0.2f, -0.1f, 0f));
        final Node z = tf.name("z", tf.add(tf.matmul(x, w), b));
        final Node e = tf.exp(z);
        final Node p = tf.name("p", tf.div(e, tf.reduceSum(e, new int[] {1}, true)));
        final Node loss = tf.name("loss",
                tf.neg(tf.reduceMean(tf.reduceSum(tf.mul(labels, tf.log(p)), new int[] {1}, false))));
        final Tensor xv = Tensors.random(31, N, 4);
        final Tensor yv = oneHot(32, N, 3);
    }

    @Test
    void softmaxCrossEntropyMatchesFiniteDifferences() {
        Softmax m = new Softmax();
        List<Node> g = m.tf.gradients(m.loss, m.w, m.b, m.x);
        FiniteDifferences.of(m.tf.build(), "loss").feed("x", m.xv).feed("labels", m.yv)
                .wrt("w", g.get(0)).wrt("b", g.get(1)).wrt("x", g.get(2)).verify();
    }

    @Test
    void softmaxCrossEntropyGradientForTheLogitsIsSoftmaxMinusOneHotOverN() {
        Softmax m = new Softmax();
        Node dz = m.tf.gradients(m.loss, m.z).get(0);
        Interpreter in = Eval.interpreter(m.tf);
        List<Tensor> v = in.run(Map.of("x", m.xv, "labels", m.yv), List.of(dz, m.z), List.of());
        Tensor logits = v.get(1);
        // the closed form, in plain Java and double precision, from the logits
        float[] expected = new float[N * 3];
        for (int i = 0; i < N; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                max = Math.max(max, logits.data()[i * 3 + c]);
            }
            double sum = 0;
            double[] ex = new double[3];
            for (int c = 0; c < 3; c++) {
                ex[c] = Math.exp(logits.data()[i * 3 + c] - max);
                sum += ex[c];
            }
            for (int c = 0; c < 3; c++) {
                expected[i * 3 + c] = (float) ((ex[c] / sum - m.yv.data()[i * 3 + c]) / N);
            }
        }
        assertAllClose(Tensors.of(expected, N, 3), v.get(0), 1e-6, 1e-4);
        // and the logits themselves are x @ w + b
        Tensor w = in.variable("w");
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < 3; c++) {
                double s = in.variable("b").data()[c];
                for (int k = 0; k < 4; k++) {
                    s += m.xv.data()[i * 4 + k] * (double) w.data()[k * 3 + c];
                }
                assertEquals(s, logits.data()[i * 3 + c], 1e-5);
            }
        }
    }

    @Test
    void logisticLossWrittenWithLog() {
        // loss = -mean(y log p + (1 - y) log(1 - p)), p = sigmoid(x @ w + b); dz = (p - y) / N
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(N, 3));
        Node y = tf.placeholder("y", Tf.shape(N, 1));
        Node w = tf.variable("w", Tensors.random(40, 3, 1));
        Node b = tf.variable("b", Tensors.of(new float[] {0.1f}, 1));
        Node z = tf.name("z", tf.add(tf.matmul(x, w), b));
        Node p = tf.name("p", tf.sigmoid(z));
        Node ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1f, y), tf.log(tf.sub(1f, p))));
        Node loss = tf.name("loss", tf.neg(tf.reduceMean(ll)));
        List<Node> g = tf.gradients(loss, w, b, z);
        float[] labels = new float[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 3 == 0 ? 1f : 0f;
        }
        Tensor xv = Tensors.random(41, N, 3);
        Tensor yv = Tensors.of(labels, N, 1);
        FiniteDifferences.of(tf.build(), "loss").feed("x", xv).feed("y", yv)
                .wrt("w", g.get(0)).wrt("b", g.get(1)).verify();
        List<Tensor> v = Eval.evalAll(tf, Map.of("x", xv, "y", yv), g.get(2), p);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) {
            expected[i] = (v.get(1).data()[i] - labels[i]) / N;
        }
        assertAllClose(Tensors.of(expected, N, 1), v.get(0), 1e-6, 1e-4);
    }

    @Test
    void reluNetworkAwayFromItsKinks() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(N, 4));
        // positive inputs and hidden units whose incoming weights share a sign: live units stay live and dead
        // ones stay dead under any small perturbation
        float[] signs = {1, -1, 1, 1, -1};
        float[] w1v = Tensors.uniform(50, 0.2f, 1f, 4, 5).data();
        for (int i = 0; i < w1v.length; i++) {
            w1v[i] *= signs[i % 5];
        }
        Node w1 = tf.variable("w1", Tensors.of(w1v, 4, 5));
        Node w2 = tf.variable("w2", Tensors.random(51, 5, 2));
        Node pre = tf.name("pre", tf.matmul(x, w1));
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.matmul(tf.relu(pre), w2))));
        List<Node> g = tf.gradients(loss, w1, w2);
        Tensor xv = Tensors.positive(52, N, 4);
        // precondition: every pre-activation is far enough from 0 that a perturbation of 1e-2 in one weight
        // (which moves it by at most 1e-2 * |x| <= 1e-2) cannot cross the kink
        Tensor pv = Eval.eval(tf, pre, Map.of("x", xv));
        float closest = Float.MAX_VALUE;
        for (float f : pv.data()) {
            closest = Math.min(closest, Math.abs(f));
        }
        assertTrue(closest > 0.03f, "a pre-activation is at " + closest + "; pick another seed");
        FiniteDifferences.of(tf.build(), "loss").feed("x", xv).wrt("w1", g.get(0)).wrt("w2", g.get(1)).verify();
    }

    // ------------------------------------------------------------------ structure

    @Test
    void fanOutAddsTheGradientsOfEveryUse() {
        // y = x * x + x: dy/dx = 2x + 1
        Tf tf = new Tf();
        Node x = tf.variable("x", vec(-1, 0.5f, 3));
        Node y = tf.name("loss", tf.reduceSum(tf.add(tf.mul(x, x), x)));
        Node g = tf.gradients(y, x).get(0);
        assertAllClose(vec(-1, 2, 7), Eval.eval(tf, g));
        FiniteDifferences.of(tf.build(), "loss").wrt("x", g).verify();
    }

    @Test
    void fanOutOfAnIntermediateNodeIntoSeveralBranches() {
        // h feeds tanh, square and a matmul; w feeds h and the loss directly
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(N, 3));
        Node w = tf.variable("w", Tensors.random(60, 3, 3));
        Node h = tf.matmul(x, w);
        Node a = tf.mul(h, tf.tanh(h));
        Node c = tf.matmul(h, w, false, true);
        Node loss = tf.name("loss", tf.add(tf.reduceMean(tf.add(a, tf.square(h))),
                tf.add(tf.reduceMean(c), tf.reduceSum(tf.square(w)))));
        List<Node> g = tf.gradients(loss, w, x);
        FiniteDifferences.of(tf.build(), "loss").feed("x", Tensors.random(61, N, 3))
                .wrt("w", g.get(0)).wrt("x", g.get(1)).verify();
    }

    @Test
    void gradientWithRespectToAnIntermediateNode() {
        // h = x @ w; loss = sum(h^2): dloss/dh = 2h, and dloss/dw in the same call is unaffected
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(4, 3));
        Node w = tf.variable("w", Tensors.random(70, 3, 2));
        Node h = tf.name("h", tf.matmul(x, w));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(h)));
        List<Node> both = tf.gradients(loss, h, w);
        Node dwAlone = tf.gradients(loss, w).get(0);
        Tensor xv = Tensors.random(71, 4, 3);
        List<Tensor> v = Eval.evalAll(tf, Map.of("x", xv), both.get(0), h, both.get(1), dwAlone);
        assertAllClose(Tensors.scaled(v.get(1), 2f), v.get(0));
        assertAllClose(v.get(3), v.get(2));
        FiniteDifferences.of(tf.build(), "loss").feed("x", xv).wrt("w", both.get(1)).verify();

        // the same gradient for h, checked by finite differences in a graph where h is an input
        Tf tf2 = new Tf();
        Node hIn = tf2.placeholder("h", Tf.shape(4, 2));
        tf2.name("loss", tf2.reduceSum(tf2.square(hIn)));
        Node stand = tf2.mul(hIn, 1f); // only the numeric side matters here
        List<FiniteDifferences.Comparison> numeric = FiniteDifferences.of(tf2.build(), "loss").feed("h", v.get(1))
                .wrt("h", stand).compare();
        for (FiniteDifferences.Comparison c : numeric) {
            assertEquals(c.numeric(), v.get(0).data()[c.flat()], 1e-2 * Math.max(1, Math.abs(c.numeric())), c::toString);
        }
    }

    @Test
    void gradientOfANodeWithRespectToItselfIsOnes() {
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.random(1, 2, 3));
        Node y = tf.tanh(w);
        Node g = tf.gradients(y, y).get(0);
        assertAllClose(Tensors.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3), Eval.eval(tf, g));
    }

    @Test
    void gradientOfANonScalarIsTheGradientOfItsSum() {
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.random(80, 3, 2));
        Node y = tf.name("y", tf.exp(tf.mul(w, w)));
        Node g = tf.gradients(y, w).get(0);
        FiniteDifferences.of(tf.build(), "y").wrt("w", g).verify(); // the checker sums the loss's elements
    }

    @Test
    void repeatedTargetsGetTheSameGradient() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        List<Node> g = tf.gradients(tf.reduceSum(tf.square(w)), w, w);
        List<Tensor> v = Eval.evalAll(tf, Map.of(), g.get(0), g.get(1));
        assertAllClose(vec(2, 4), v.get(0));
        assertAllClose(vec(2, 4), v.get(1));
    }

    @Test
    void gradientsAreBuiltBeforeBindingAndHoldForAnyBatch() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 2));
        Node w = tf.variable("w", Tensors.random(90, 2, 2));
        Node loss = tf.name("loss", tf.reduceMean(tf.sigmoid(tf.matmul(x, w))));
        Node g = tf.gradients(loss, w).get(0);
        assertEquals(Shape.of(2, 2), g.shape());
        for (int batch : new int[] {1, 3, 7}) {
            FiniteDifferences.of(tf.build().bind(batch), "loss").feed("x", Tensors.random(91 + batch, batch, 2))
                    .wrt("w", g).verify();
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aVariableTheLossDoesNotDependOnIsNamed() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node unused = tf.variable("unused", vec(3, 4));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(w)));
        assertKilnErrorAt(() -> tf.gradients(loss, w, unused), "gradients", "'loss'", "does not depend on",
                "'unused' f32[2]");
    }

    @Test
    void aNodeOfAnotherGraphIsRejected() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node loss = tf.reduceSum(w);
        Tf other = new Tf();
        other.variable("pad", vec(1));
        other.variable("pad2", vec(1));
        Node foreign = other.variable("v", vec(1, 2));
        assertKilnErrorAt(() -> tf.gradients(loss, foreign), "gradients", "'v'", "another graph");
    }

    @Test
    void noGradientThroughAnAssign() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node loss = tf.reduceSum(tf.mul(tf.assign(w, tf.mul(w, 2f)), w));
        assertKilnErrorAt(() -> tf.gradients(loss, w), "gradients", "no gradient flows through", "assign",
                "not differentiable");
    }
}
