package dev.kiln.interp;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run means: variable reads and writes within a run, seeds, binding. */
class InterpreterSemanticsTest {

    private static Interpreter initialized(Graph g, long seed) {
        Interpreter in = new Interpreter(g);
        in.initialize(seed);
        return in;
    }

    // ------------------------------------------------------------------ reads and writes within a run

    @Test
    void everyReadInARunSeesTheValueFromBeforeTheRun() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2, 3));
        Node newW = tf.assign(w, tf.add(w, 1f));
        Node doubled = tf.mul(w, 2f);
        Interpreter in = initialized(tf.build(), 0);

        List<Tensor> out = in.run(Map.of(), List.of(doubled, newW), List.of());
        assertAllClose(vec(2, 4, 6), out.get(0)); // the old w, doubled
        assertAllClose(vec(2, 3, 4), out.get(1)); // the assign's value is the new w
        // fetch order does not matter
        out = in.run(Map.of(), List.of(newW, doubled), List.of());
        assertAllClose(vec(3, 4, 5), out.get(0));
        assertAllClose(vec(4, 6, 8), out.get(1)); // the w from after the first run, doubled
        // the next run sees the update
        assertAllClose(vec(6, 8, 10), in.run(Map.of(), List.of(doubled), List.of()).get(0));
        assertAllClose(vec(3, 4, 5), in.variable("w"));
    }

    @Test
    void aReadThatDependsOnTheAssignsValueStillSeesTheOldVariable() {
        // y = new_w + w: the assign's value is the new one, the read of w is the old one
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(10));
        Node newW = tf.assign(w, tf.mul(w, 3f));
        Node y = tf.add(newW, w);
        Interpreter in = initialized(tf.build(), 0);
        assertAllClose(vec(40), in.run(Map.of(), List.of(y), List.of()).get(0));
        assertAllClose(vec(30), in.variable("w"));
    }

    @Test
    void theAssignIsPerformedAsATargetWhileFetchesSeeTheOldValue() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node newW = tf.assign(w, tf.add(w, 1f));
        Node doubled = tf.mul(w, 2f);
        Interpreter in = initialized(tf.build(), 0);
        assertAllClose(vec(2, 4), in.run(Map.of(), List.of(doubled), List.of(newW)).get(0));
        assertAllClose(vec(4, 6), in.run(Map.of(), List.of(doubled), List.of(newW)).get(0));
        assertAllClose(vec(3, 4), in.variable("w"));
    }

    @Test
    void fetchingAnAssignReturnsTheNewValue() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, -1));
        Node x = tf.placeholder("x", Tf.shape(2));
        Node a = tf.assign(w, tf.sub(w, x));
        Interpreter in = initialized(tf.build(), 0);
        assertAllClose(vec(0.5f, -2), in.run(Map.of("x", vec(0.5f, 1)), List.of(a), List.of()).get(0));
        assertAllClose(vec(0.5f, -2), in.variable("w"));
    }

    @Test
    void aFailedRunChangesNoVariable() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node x = tf.placeholder("x", Tf.shape(2));
        Node a = tf.assign(w, tf.add(w, 1f));
        Node needsX = tf.mul(x, 2f);
        Interpreter in = initialized(tf.build(), 0);
        assertKilnError(() -> in.run(Map.of(), List.of(needsX), List.of(a)), "no feed", "'x'");
        assertAllClose(vec(1, 2), in.variable("w"));
    }

    @Test
    void fetchedValuesAreNotTheVariablesState() {
        // a caller scribbling on a fetched value must not change the variable
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Interpreter in = initialized(tf.build(), 0);
        Tensor got = in.run(Map.of(), List.of(w), List.of()).get(0);
        got.data()[0] = 99;
        assertAllClose(vec(1, 2), in.variable("w"));
        assertAllClose(vec(1, 2), in.run(Map.of(), List.of(w), List.of()).get(0));
    }

    @Test
    void variableReturnsACopyAndSetVariableCopies() {
        Tf tf = new Tf();
        tf.variable("w", vec(1, 2));
        Interpreter in = initialized(tf.build(), 0);
        in.variable("w").data()[0] = 99;
        assertAllClose(vec(1, 2), in.variable("w"));
        Tensor t = vec(5, 6);
        in.setVariable("w", t);
        t.data()[0] = 99;
        assertAllClose(vec(5, 6), in.variable("w"));
    }

    @Test
    void initializeAgainResetsTheVariables() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node a = tf.assign(w, tf.mul(w, 5f));
        Interpreter in = initialized(tf.build(), 0);
        in.run(Map.of(), List.of(), List.of(a));
        assertAllClose(vec(5, 10), in.variable("w"));
        in.initialize(0);
        assertAllClose(vec(1, 2), in.variable("w"));
    }

    // ------------------------------------------------------------------ seeds

    private static Graph randomInit(Long opSeed) {
        Tf tf = new Tf();
        tf.variable("w", tf.randomNormal(Tf.shape(4, 3), 0f, 1f, opSeed));
        tf.variable("v", tf.randomNormal(Tf.shape(4, 3)));
        return tf.build();
    }

    @Test
    void randomNormalInitializersAreDeterministicForASeedAndDifferBetweenSeeds() {
        Graph g = randomInit(null);
        Tensor w1 = initialized(g, 42).variable("w");
        Tensor w2 = initialized(g, 42).variable("w");
        Tensor w3 = initialized(g, 43).variable("w");
        assertEquals(w1, w2);
        assertNotEquals(w1, w3);
        // a graph built again the same way gives the same values
        assertEquals(w1, initialized(randomInit(null), 42).variable("w"));
        // two unseeded ops in one program differ from each other
        Interpreter in = initialized(g, 42);
        assertNotEquals(in.variable("w"), in.variable("v"));
        assertEquals(Shape.of(4, 3), w1.shape());
    }

    @Test
    void anExplicitOpSeedMakesTheValuesIndependentOfTheRunSeed() {
        Graph g = randomInit(1234L);
        Tensor a = initialized(g, 1).variable("w");
        Tensor b = initialized(g, 2).variable("w");
        assertEquals(a, b);
        // while the unseeded op still follows the run seed
        assertNotEquals(initialized(g, 1).variable("v"), initialized(g, 2).variable("v"));
        // and another explicit seed gives other values
        assertNotEquals(a, initialized(randomInit(4321L), 1).variable("w"));
    }

    @Test
    void aRandomNormalInTheGraphHasTheSameValueOnEveryRun() {
        Tf tf = new Tf();
        Node r = tf.randomNormal(Tf.shape(5));
        Interpreter in = initialized(tf.build(), 7);
        Tensor first = in.run(Map.of(), List.of(r), List.of()).get(0);
        Tensor second = in.run(Map.of(), List.of(r), List.of()).get(0);
        assertEquals(first, second);
        Interpreter other = initialized(in.graph(), 8);
        assertNotEquals(first, other.run(Map.of(), List.of(r), List.of()).get(0));
    }

    // ------------------------------------------------------------------ binding

    @Test
    void bindReinfersEveryShape() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node w = tf.variable("w", Tensors.random(1, 3, 4));
        Node b = tf.variable("b", Tensors.random(2, 4));
        Node h = tf.name("h", tf.add(tf.matmul(x, w), b));
        Node s = tf.name("s", tf.reduceSum(h, new int[] {1}, true));
        Node t = tf.name("t", tf.transpose(h));
        assertEquals(Tf.shape(Tf.NONE, 4), h.shape());
        Graph g = tf.build();
        assertFalse(g.isBound());
        Graph g5 = g.bind(5);
        assertTrue(g5.isBound());
        assertEquals(Tf.shape(5, 4), g5.node("h").shape());
        assertEquals(Tf.shape(5, 1), g5.node("s").shape());
        assertEquals(Tf.shape(4, 5), g5.node("t").shape());
        assertEquals(Tf.shape(5, 3), g5.node("x").shape());
        // the original is untouched and can be bound again to another size
        assertEquals(Tf.shape(Tf.NONE, 4), g.node("h").shape());
        assertEquals(Tf.shape(2, 4), g.bind(2).node("h").shape());
        assertEquals(s.id(), g5.node("s").id());
        assertEquals(t.id(), g5.node("t").id());

        Interpreter in = initialized(g5, 0);
        Tensor xv = Tensors.random(3, 5, 3);
        Tensor hv = in.run(Map.of("x", xv), List.of(g5.node("h")), List.of()).get(0);
        assertEquals(Tf.shape(5, 4), hv.shape());
        // h[i][j] = sum_k x[i][k] w[k][j] + b[j], computed here in double
        Tensor wv = in.variable("w");
        Tensor bv = in.variable("b");
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                double e = bv.data()[j];
                for (int k = 0; k < 3; k++) {
                    e += xv.data()[i * 3 + k] * (double) wv.data()[k * 4 + j];
                }
                assertEquals(e, hv.data()[i * 4 + j], 1e-5, "h[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void bindRejectsANonPositiveBatch() {
        Tf tf = new Tf();
        tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Graph g = tf.build();
        assertKilnError(() -> g.bind(0), "batch size", "0");
    }

    @Test
    void bindFailsWithThePositionOfTheNodeThatNoLongerFits() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node y = tf.placeholder("y", Tf.shape(4, 3));
        tf.add(x, y); int line = new Throwable().getStackTrace()[0].getLineNumber();
        Graph g = tf.build();
        assertKilnError(() -> g.bind(2), "InterpreterSemanticsTest.java:" + line, "add", "'x' f32[2,3]", "'y' f32[4,3]");
    }

    @Test
    void shapeErrorsFromThisPackageNameTheCallersLine() {
        // dev.kiln.interp is not one of Kiln's builder packages, so the caller's frame is found
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(2, 3));
        assertKilnErrorAt(() -> tf.matmul(a, b), "matmul('a' f32[2,3], 'b' f32[2,3])", "3 vs 2",
                "InterpreterSemanticsTest.java:");
        assertEquals("InterpreterSemanticsTest.java", tf.build().sourceFile());
    }
}
