package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** softmax, log_softmax and softmax cross-entropy: values, stability at ±1e4, closed-form gradients. */
class SoftmaxOpsTest {
    private static final float LN2 = (float) Math.log(2);

    @Test
    void valuesOnLiterals() {
        Tf tf = new Tf();
        Node x = tf.constant(mat(new float[] {0, LN2, 0}, new float[] {5, 5, 5}));
        assertAllClose(mat(new float[] {0.25f, 0.5f, 0.25f}, new float[] {1 / 3f, 1 / 3f, 1 / 3f}), Eval.eval(tf, tf.nn().softmax(x)));
        float l4 = (float) Math.log(4);
        assertAllClose(mat(new float[] {-l4, LN2 - l4, -l4}, new float[] {-(float) Math.log(3), -(float) Math.log(3),
                -(float) Math.log(3)}), Eval.eval(tf, tf.nn().logSoftmax(x)));
        Node labels = tf.constant(mat(new float[] {0, 1, 0}, new float[] {0.5f, 0.5f, 0}));
        assertAllClose(vec(l4 - LN2, (float) Math.log(3)), Eval.eval(tf, tf.nn().softmaxCrossEntropyWithLogits(labels, x)));
        assertEquals(Tf.shape(Tf.NONE), tf.nn().softmaxCrossEntropyWithLogits(tf.placeholder("l", Tf.shape(Tf.NONE, 3)),
                tf.placeholder("z", Tf.shape(Tf.NONE, 3))).shape());
    }

    @Test
    void hugeLogitsGiveFiniteLossAndGradientInBothEngines() {
        Tf tf = new Tf();
        Node logits = tf.variable("logits", mat(new float[] {1e4f, -1e4f, 0}, new float[] {-1e4f, -1e4f, 1e4f}));
        Node labels = tf.constant(mat(new float[] {0, 1, 0}, new float[] {0, 0, 1}));
        Node loss = tf.name("loss", tf.reduceSum(tf.nn().softmaxCrossEntropyWithLogits(labels, logits)));
        tf.name("grad", tf.gradients(loss, logits).get(0));
        tf.name("p", tf.nn().softmax(logits));
        Graph g = tf.build();
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("loss", "grad", "p"), List.of(), engine, new Options());
            List<Tensor> out = s.run(Map.of());
            assertEquals(2e4f, out.get(0).item(), 1f, engine + ": the loss");
            assertAllClose(mat(new float[] {1, -1, 0}, new float[] {0, 0, 0}), out.get(1));
            assertAllClose(mat(new float[] {1, 0, 0}, new float[] {0, 0, 1}), out.get(2));
        }
    }

    @Test
    void gradientsAgainstFiniteDifferences() {
        Tensor x = Tensors.uniform(3, -2f, 2f, 4, 5);
        GradCheck.unary(1, x, (tf, v) -> tf.nn().softmax(v));
        GradCheck.unary(2, x, (tf, v) -> tf.nn().logSoftmax(v));
        // labels that are distributions, as TensorFlow requires: its closed form, softmax - labels, is the
        // derivative only when each row of labels sums to 1
        float[] l = Tensors.uniform(4, 0.1f, 1f, 4, 5).data();
        for (int r = 0; r < 4; r++) {
            float sum = 0f;
            for (int j = 0; j < 5; j++) {
                sum += l[r * 5 + j];
            }
            for (int j = 0; j < 5; j++) {
                l[r * 5 + j] /= sum;
            }
        }
        Map<String, Tensor> values = new LinkedHashMap<>();
        values.put("labels", new Tensor(Shape.of(4, 5), l));
        values.put("logits", x);
        GradCheck.weighted(5, values, (tf, v) -> tf.nn().softmaxCrossEntropyWithLogits(v.get(0), v.get(1)));
    }

    @Test
    void sigmoidCrossEntropyIsFiniteForAnyLogitAndHasTheClosedFormGradient() {
        Tf tf = new Tf();
        Node z = tf.constant(vec(1, 0, 1, 0, 0.25f));
        Node x = tf.constant(vec(0, 0, 1e4f, 1e4f, -1e4f));
        assertAllClose(vec(LN2, LN2, 0, 1e4f, 0.25f * 1e4f), Eval.eval(tf, tf.nn().sigmoidCrossEntropyWithLogits(z, x)));
        GradCheck.binary(8, Tensors.uniform(6, 0f, 1f, 3, 4), Tensors.uniform(7, -3f, 3f, 3, 4),
                (t, labels, logits) -> t.nn().sigmoidCrossEntropyWithLogits(labels, logits));
        // labels broadcast against the logits
        GradCheck.binary(9, Tensors.uniform(6, 0f, 1f, 4), Tensors.uniform(7, -3f, 3f, 3, 4),
                (t, labels, logits) -> t.nn().sigmoidCrossEntropyWithLogits(labels, logits));
    }

    @Test
    void theFirstVersionSendsNoGradientToTheLabels() {
        Tf tf = new Tf();
        Node labels = tf.variable("labels", Tensors.uniform(4, 0f, 1f, 2, 3));
        Node logits = tf.variable("logits", Tensors.uniform(5, -1f, 1f, 2, 3));
        Node loss = tf.reduceSum(tf.nn().softmaxCrossEntropyWithLogitsV1(labels, logits));
        assertKilnErrorAt(() -> tf.gradients(loss, labels), "no gradient flows");
        assertEquals(Shape.of(2, 3), tf.gradients(loss, logits).get(0).shape());
    }

    @Test
    void labelsAndLogitsOfDifferentShapesAreAnError() {
        Tf tf = new Tf();
        Node labels = tf.placeholder("labels", Tf.shape(4, 3));
        Node logits = tf.placeholder("logits", Tf.shape(4, 5));
        assertKilnErrorAt(() -> tf.nn().softmaxCrossEntropyWithLogits(labels, logits),
                "labels and logits must have the same shape, got labels [4,3] and logits [4,5]");
        assertKilnErrorAt(() -> tf.nn().softmax(tf.constant(1f)), "softmax needs logits of rank 1 or more, got a scalar");
    }

    @Test
    void expandedForTheBackEnd() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        tf.name("p", tf.nn().softmax(x));
        Graph g = tf.build();
        Session s = Kiln.session(g, List.of("p"), List.of(), Engine.COMPILED, new Options());
        Tensor got = s.run(Map.of("x", mat(new float[] {0, LN2, 0}, new float[] {1, 1, 1}))).get(0);
        assertAllClose(mat(new float[] {0.25f, 0.5f, 0.25f}, new float[] {1 / 3f, 1 / 3f, 1 / 3f}), got);
        assertTrue(got.data()[1] > got.data()[0], "the larger logit the larger probability");
    }
}
