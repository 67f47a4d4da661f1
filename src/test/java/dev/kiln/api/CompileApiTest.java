package dev.kiln.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Kiln.compile} with the user's own interface, and the generic form. */
class CompileApiTest {
    /** Bound by name: this project compiles with -parameters. */
    interface TrainStep {
        float run(float[] x, float[] y);
    }

    /** Parameters in the other order: binding by name must still put x to x. */
    interface Swapped {
        float run(float[] y, float[] x);
    }

    interface Predict {
        float[] predict(float[] x);
    }

    interface Wrong {
        float run(double[] x);
    }

    static Graph model() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 5));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 3));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(5, 3), 0f, 0.5f, 7L));
        Node b = tf.variable("b", tf.zeros(Tf.shape(3)));
        Node pred = tf.name("pred", tf.add(tf.matmul(x, w), b));
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(pred, y))));
        List<Node> g = tf.gradients(loss, w, b);
        tf.assign(w, tf.sub(w, tf.mul(0.1f, g.get(0))));
        tf.assign(b, tf.sub(b, tf.mul(0.1f, g.get(1))));
        return tf.build();
    }

    /** The interpreter's losses over {@code steps} steps at batch {@code batch}. */
    static float[] reference(int batch, int steps, float[] x, float[] y) {
        Graph g = model().bind(batch);
        Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), Engine.INTERPRETER, 0);
        float[] out = new float[steps];
        for (int t = 0; t < steps; t++) {
            out[t] = s.run(Map.of("x", new Tensor(Shape.of(batch, 5), x), "y", new Tensor(Shape.of(batch, 3), y))).get(0).item();
        }
        return out;
    }

    @Test
    void trainStepMatchesTheInterpreter() {
        float[] x = Tensors.gaussian(8 * 5, 1);
        float[] y = Tensors.gaussian(8 * 3, 2);
        TrainStep step = Kiln.compile(model(), TrainStep.class, new Options().batch(8));
        float[] want = reference(8, 10, x, y);
        for (int t = 0; t < 10; t++) {
            float got = step.run(x, y);
            assertEquals(want[t], got, 1e-5f * Math.max(1f, Math.abs(want[t])), "step " + t);
        }
        assertTrue(want[9] < want[0], "the loss falls");
    }

    @Test
    void bindsParametersByName() {
        float[] x = Tensors.gaussian(8 * 5, 1);
        float[] y = Tensors.gaussian(8 * 3, 2);
        Swapped step = Kiln.compile(model(), Swapped.class, new Options().batch(8));
        assertEquals(reference(8, 1, x, y)[0], step.run(y, x), 1e-3f);
    }

    @Test
    void bindsTheBatchOnFirstCallAndKeepsOneClassPerBatchSize() {
        TrainStep step = Kiln.compile(model(), TrainStep.class);
        float[] x8 = Tensors.gaussian(8 * 5, 1);
        float[] y8 = Tensors.gaussian(8 * 3, 2);
        float[] x4 = Tensors.gaussian(4 * 5, 3);
        float[] y4 = Tensors.gaussian(4 * 3, 4);
        float first = step.run(x8, y8);
        assertEquals(reference(8, 1, x8, y8)[0], first, 1e-3f);
        step.run(x4, y4); // another batch size: a second specialization, same variables
        float again = step.run(x8, y8);
        assertNotEquals(first, again, "variables are shared across batch sizes, so training went on");
        Variables v = Kiln.variables(step);
        assertEquals(List.of("w", "b"), v.names());
    }

    @Test
    void badFeedsAreIllegalArguments() {
        TrainStep step = Kiln.compile(model(), TrainStep.class, new Options().batch(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.run(new float[39], new float[24]));
        assertEquals("feed 'x': expected 40 floats (shape [8,5]), got 39", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> step.run(new float[40], null));
        assertTrue(e.getMessage().startsWith("feed 'y' is null"), e.getMessage());
        TrainStep lazy = Kiln.compile(model(), TrainStep.class);
        e = assertThrows(IllegalArgumentException.class, () -> lazy.run(new float[7], new float[3]));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("7 floats"), e.getMessage());
    }

    @Test
    void inferenceReturnsTheFetchArray() {
        Predict p = Kiln.compile(model(), Predict.class, new Options().batch(2).fetch("pred").noTargets());
        float[] x = Tensors.gaussian(10, 5);
        float[] got = p.predict(x);
        Graph g = model().bind(2);
        Session s = Kiln.session(g, List.of("pred"), List.of(), Engine.INTERPRETER, 0);
        float[] want = s.run(Map.of("x", new Tensor(Shape.of(2, 5), x))).get(0).data();
        assertArrayEquals(want, java.util.Arrays.copyOf(got, 6), 1e-5f);
    }

    @Test
    void variablesCanBeReadAndWritten() {
        TrainStep step = Kiln.compile(model(), TrainStep.class, new Options().batch(8));
        Variables v = Kiln.variables(step);
        v.set("w", new Tensor(Shape.of(5, 3), new float[15]));
        v.set("b", new Tensor(Shape.of(3), new float[3]));
        float[] y = Tensors.gaussian(24, 2);
        float loss = step.run(Tensors.gaussian(40, 1), y);
        double mean = 0;
        for (float f : y) {
            mean += f * f;
        }
        assertEquals(mean / 24, loss, 1e-4, "with zero weights the prediction is 0");
        assertThrows(KilnException.class, () -> v.set("w", new Tensor(Shape.of(3), new float[3])));
        assertThrows(KilnException.class, () -> v.get("nope"));
    }

    @Test
    void interfacesThatCannotBeBoundAreRejected() {
        KilnException e = assertThrows(KilnException.class, () -> Kiln.compile(model(), Wrong.class, new Options().batch(2)));
        assertTrue(e.getMessage().contains("float[]"), e.getMessage());
    }
}
