package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tf.nn.dropout}: a new mask each training run, the same on both engines and for the same seed,
 * keeping about {@code keep_prob} of the elements, scaled by 1/keep_prob, and the gradient through the mask.
 */
class DropoutTest {
    private static final int ROWS = 50;
    private static final int COLS = 200;

    /** x (ones, [?, 200]) through dropout, and the gradient of its sum; every assignment performed each run. */
    private static Graph graph(Long seed, float keep) {
        Tf tf = new Tf();
        Node x = tf.variable("x", tf.ones(Shape.of(ROWS, COLS)));
        Node kept = tf.name("kept", tf.nn().dropout(x, tf.constant(keep), seed));
        tf.name("grad", tf.gradients(tf.reduceSum(kept), x).get(0));
        return tf.build();
    }

    /** The dropout's output on each of three runs. */
    private static List<float[]> runs(Graph g, Engine engine, long runSeed) {
        Session s = Kiln.session(g, List.of("kept", "grad"), g.sideEffects(), engine, new Options().seed(runSeed));
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            List<Tensor> r = s.run(Map.of());
            assertArrayEquals(r.get(0).data(), r.get(1).data(), "the gradient of sum(dropout(ones)) is the mask / keep");
            out.add(r.get(0).data());
        }
        return out;
    }

    @Test
    void aNewMaskEachRunTheSameOnBothEnginesAndForTheSameSeed() {
        Graph g = graph(null, 0.25f);
        List<float[]> compiled = runs(g, Engine.COMPILED, 3);
        List<float[]> interpreted = runs(g, Engine.INTERPRETER, 3);
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(interpreted.get(t), compiled.get(t), "run " + t);
            int kept = 0;
            for (float v : compiled.get(t)) {
                assertTrue(v == 0f || v == 4f, "an element is dropped or scaled by 1/keep_prob: " + v);
                kept += v != 0f ? 1 : 0;
            }
            assertEquals(0.25, kept / (double) (ROWS * COLS), 0.02, "run " + t + ": the share kept");
        }
        assertFalse(java.util.Arrays.equals(compiled.get(0), compiled.get(1)), "a new mask each run");
        assertArrayEquals(compiled.get(2), runs(g, Engine.COMPILED, 3).get(2), "the same run seed, the same masks");
        assertFalse(java.util.Arrays.equals(compiled.get(0), runs(g, Engine.COMPILED, 4).get(0)), "another run seed, others");
        Graph seeded = graph(7L, 0.25f);
        assertArrayEquals(runs(seeded, Engine.COMPILED, 3).get(1), runs(seeded, Engine.INTERPRETER, 9).get(1),
                "an op seed alone decides the masks");
    }

    @Test
    void keepingEverythingIsTheIdentityAndBadProbabilitiesAreRefused() {
        for (float[] run : runs(graph(null, 1f), Engine.COMPILED, 0)) {
            for (float v : run) {
                assertEquals(1f, v);
            }
        }
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        assertKilnErrorAt(() -> tf.nn().dropout(x, 0f), "dropout: keep_prob must be in (0, 1], got 0.0");
        assertKilnErrorAt(() -> tf.nn().dropout(x, x, null), "dropout: keep_prob must be a scalar, got 'x' f32[?,3]");
        Node d = tf.nn().dropout(x, 0.5f);
        assertEquals(Tf.shape(Tf.NONE, 3), d.shape());
        assertEquals(List.of("dropout_step"), tf.build().variables().stream().map(Node::name).toList());
    }
}
