package dev.kiln.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ProgramSession}, the session of a whole program: one run compiled once however often it runs, a
 * new batch size (a last partial minibatch) or a new fetch list compiled anew, variables shared by every
 * run and uninitialized until initialized or set, and the same values on both engines.
 */
class ProgramSessionTest {
    private static final String MODEL = """
            x = tf.placeholder(tf.float32, shape=(None, 3))
            w = tf.Variable(tf.ones((3, 2)))
            y = tf.matmul(x, w)
            loss = tf.reduce_sum(y * y)
            (g,) = tf.gradients(loss, [w])
            step = w.assign(w - 0.01 * g)
            """;

    private static Tensor rows(int n) {
        float[] d = new float[n * 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i % 5) * 0.25f - 0.5f;
        }
        return new Tensor(Shape.of(n, 3), d);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void eachDistinctRunIsPreparedOnceAndVariablesAreShared(Engine engine) {
        Graph g = Script.parse(MODEL, "m.kiln");
        Node x = g.node("x");
        Node w = g.node("w");
        Node loss = g.node("loss");
        Node step = g.node("step");
        ProgramSession s = new ProgramSession(engine, new Options());
        KilnException e = assertThrows(KilnException.class, () -> s.run(g, List.of(loss), List.of(), Map.of(x, rows(4))));
        assertTrue(e.getMessage().contains("uninitialized variable 'w'"), e.getMessage());
        s.initialize(g, List.of(w));
        float before = s.run(g, List.of(loss), List.of(), Map.of(x, rows(4))).get(0).item();
        for (int i = 0; i < 5; i++) {
            s.run(g, List.of(loss), List.of(step), Map.of(x, rows(4)));
        }
        assertEquals(2, s.preparedRuns(), "loss alone, then loss with the step: two runs, each prepared once");
        s.run(g, List.of(loss), List.of(step), Map.of(x, rows(3)));
        assertEquals(3, s.preparedRuns(), "a batch of 3 rows is a run of its own");
        float after = s.run(g, List.of(loss), List.of(), Map.of(x, rows(4))).get(0).item();
        assertEquals(3, s.preparedRuns());
        assertTrue(after < before, "the steps of every run trained the same w: " + before + " -> " + after);
        Tensor value = s.variable(g, w);
        s.setVariable(g, w, new Tensor(Shape.of(3, 2), new float[6]));
        assertEquals(0f, s.run(g, List.of(loss), List.of(), Map.of(x, rows(4))).get(0).item());
        s.setVariable(g, w, value);
        assertArrayEquals(value.data(), s.variable(g, w).data());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void alternatingRunsEachGetTheirOwnPreparedRun(Engine engine) {
        Graph g = Script.parse(MODEL, "m.kiln");
        Node x = g.node("x");
        Node w = g.node("w");
        Node y = g.node("y");
        Node loss = g.node("loss");
        Node step = g.node("step");
        ProgramSession alternating = new ProgramSession(engine, new Options());
        ProgramSession stepsOnly = new ProgramSession(engine, new Options());
        alternating.initialize(g, List.of(w));
        stepsOnly.initialize(g, List.of(w));
        for (int i = 0; i < 3; i++) {
            List<Tensor> lossFirst = alternating.run(g, List.of(loss, y), List.of(), Map.of(x, rows(4)));
            List<Tensor> yFirst = alternating.run(g, List.of(y, loss), List.of(), Map.of(x, rows(4)));
            assertEquals(lossFirst.get(0).item(), yFirst.get(1).item(), "the fetches come back in the order asked");
            assertArrayEquals(lossFirst.get(1).data(), yFirst.get(0).data());
            alternating.run(g, List.of(loss), List.of(step), Map.of(x, rows(4)));
            stepsOnly.run(g, List.of(loss), List.of(step), Map.of(x, rows(4)));
        }
        assertEquals(3, alternating.preparedRuns(), "two fetch orders and the step, each prepared once");
        assertArrayEquals(stepsOnly.variable(g, w).data(), alternating.variable(g, w).data(),
                "only the runs with the step changed w");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAssignmentGivesAnUninitializedVariableItsValue(Engine engine) {
        Graph g = Script.parse(MODEL + "reset = w.assign(tf.ones((3, 2)) * 0.5)\n", "m.kiln");
        ProgramSession s = new ProgramSession(engine, new Options());
        s.run(g, List.of(), List.of(g.node("reset")), Map.of());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, s.variable(g, g.node("w")).data());
        s.run(g, List.of(g.node("loss")), List.of(g.node("step")), Map.of(g.node("x"), rows(2)));
        s.run(g, List.of(), List.of(g.node("reset")), Map.of());
        assertEquals(0.5f, s.variable(g, g.node("w")).data()[5], "the reset wins over the step before it");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void feedsMustAgreeOnTheBatchAndAClosedSessionRefusesRuns(Engine engine) {
        Graph g = Script.parse(MODEL + "z = tf.placeholder(tf.float32, shape=(None, 2))\nd = tf.reduce_sum(y - z)\n", "m.kiln");
        ProgramSession s = new ProgramSession(engine, new Options());
        s.initialize(g, List.of(g.node("w")));
        KilnException e = assertThrows(KilnException.class, () -> s.run(g, List.of(g.node("d")), List.of(),
                Map.of(g.node("x"), rows(4), g.node("z"), new Tensor(Shape.of(5, 2), new float[10]))));
        assertTrue(e.getMessage().contains("disagree on the batch size"), e.getMessage());
        s.close();
        assertThrows(KilnException.class, () -> s.run(g, List.of(g.node("loss")), List.of(), Map.of(g.node("x"), rows(4))));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theGraphMayGrowBetweenRuns(Engine engine) {
        Graph small = Script.parse(MODEL, "m.kiln");
        Graph grown = Script.parse(MODEL + "v = tf.Variable(tf.zeros(2))\nboth = loss + tf.reduce_sum(v)\n", "m.kiln");
        ProgramSession s = new ProgramSession(engine, new Options());
        s.initialize(small, List.of(small.node("w")));
        float l = s.run(small, List.of(small.node("loss")), List.of(), Map.of(small.node("x"), rows(2))).get(0).item();
        KilnException e = assertThrows(KilnException.class, () -> s.run(grown, List.of(grown.node("both")), List.of(),
                Map.of(grown.node("x"), rows(2))));
        assertTrue(e.getMessage().contains("'v'"), e.getMessage());
        s.initialize(grown, List.of(grown.node("v")));
        assertEquals(l, s.run(grown, List.of(grown.node("both")), List.of(), Map.of(grown.node("x"), rows(2))).get(0).item());
    }
}
