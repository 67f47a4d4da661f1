package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** assign: shape rule, errors, values and when the new value takes effect. */
class AssignTest {

    @Test
    void assignHasTheVariablesShapeAndIsASideEffect() {
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.random(1, 2, 3));
        Node a = tf.assign(w, tf.mul(w, 2f));
        assertEquals(Tf.shape(2, 3), a.shape());
        assertTrue(a.op().hasSideEffect());
        assertEquals(List.of(a), tf.build().sideEffects());
    }

    @Test
    void assignToANonVariableIsRejectedNamingOperandsAndCaller() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2));
        Node w = tf.variable("w", vec(1, 2));
        Node h = tf.name("h", tf.add(w, x));
        assertKilnErrorAt(() -> tf.assign(x, w), "can only assign to a variable, 'x' is a placeholder");
        assertKilnErrorAt(() -> tf.assign(h, w), "can only assign to a variable, 'h' is an add");
    }

    @Test
    void assignOfAValueOfAnotherShapeIsRejectedNamingBothShapesAndCaller() {
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.random(1, 2, 2));
        Node v = tf.variable("v", vec(1, 2, 3, 4));
        Node u = tf.variable("u", Tensors.random(1, 1, 2));
        assertKilnErrorAt(() -> tf.assign(w, v), "assign('w' f32[2,2], 'v' f32[4])", "[4]", "[2,2]");
        // broadcastable is not enough: an assign does not broadcast
        assertKilnErrorAt(() -> tf.assign(w, u), "assign('w' f32[2,2], 'u' f32[1,2])", "[1,2]", "[2,2]");
    }

    @Test
    void aValueWithNoneDimensionsIsCheckedWhenTheGraphIsBound() {
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.random(1, 3, 2));
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 2));
        tf.name("a", tf.assign(w, x));
        Graph g = tf.build();
        assertEquals(Tf.shape(3, 2), g.bind(3).node("a").shape());
        assertKilnError(() -> g.bind(5), "assign", "'w' f32[3,2]", "'x' f32[5,2]");
    }

    @Test
    void fetchingAnAssignReturnsTheNewValueAndTheVariableChangesAfterTheRun() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node a = tf.assign(w, tf.add(w, 10f));
        Interpreter in = Eval.interpreter(tf);
        assertAllClose(vec(11, 12), in.run(Map.of(), List.of(a), List.of()).get(0));
        assertAllClose(vec(11, 12), in.variable("w"));
        assertAllClose(vec(21, 22), in.run(Map.of(), List.of(a), List.of()).get(0));
        assertAllClose(vec(21, 22), in.run(Map.of(), List.of(w), List.of()).get(0));
    }

    @Test
    void anAssignRunsOnlyWhenItIsATargetOrNeededByAFetch() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node a = tf.assign(w, tf.mul(w, 3f));
        Node y = tf.mul(w, 2f);
        Node z = tf.add(a, 1f); // depends on the assign
        Interpreter in = Eval.interpreter(tf);
        in.run(Map.of(), List.of(y), List.of());
        assertAllClose(vec(1, 2), in.variable("w"));
        in.run(Map.of(), List.of(), List.of(a));
        assertAllClose(vec(3, 6), in.variable("w"));
        assertAllClose(vec(10, 19), in.run(Map.of(), List.of(z), List.of()).get(0));
        assertAllClose(vec(9, 18), in.variable("w"));
    }

    @Test
    void twoAssignsToOneVariableInOneRunAreAnErrorAndChangeNothing() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node v = tf.variable("v", vec(5, 5));
        Node a1 = tf.assign(w, tf.add(w, 1f));
        Node a2 = tf.assign(w, tf.mul(w, 2f));
        Node b = tf.assign(v, tf.mul(v, 0f));
        Interpreter in = Eval.interpreter(tf);
        assertKilnError(() -> in.run(Map.of(), List.of(), List.of(a1, b, a2)), "variable 'w'", "more than once");
        assertAllClose(vec(1, 2), in.variable("w"));
        assertAllClose(vec(5, 5), in.variable("v"));
        // each alone, in separate runs, is fine
        in.run(Map.of(), List.of(), List.of(a1));
        in.run(Map.of(), List.of(), List.of(a2));
        assertAllClose(vec(4, 6), in.variable("w"));
    }

    @Test
    void twoAssignsToDifferentVariablesInOneRunBothSeeTheOldValues() {
        // a swap: each assign reads the value from before the run
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node v = tf.variable("v", vec(3, 4));
        Node a = tf.assign(w, v);
        Node b = tf.assign(v, w);
        Interpreter in = Eval.interpreter(tf);
        List<Tensor> out = in.run(Map.of(), List.of(a, b), List.of());
        assertAllClose(vec(3, 4), out.get(0));
        assertAllClose(vec(1, 2), out.get(1));
        assertAllClose(vec(3, 4), in.variable("w"));
        assertAllClose(vec(1, 2), in.variable("v"));
    }

    @Test
    void assignIsNotDifferentiable() {
        Tf tf = new Tf();
        Node w = tf.variable("w", vec(1, 2));
        Node loss = tf.reduceSum(tf.assign(w, tf.mul(w, 2f)));
        assertKilnErrorAt(() -> tf.gradients(loss, w), "gradients", "assign", "not differentiable");
    }
}
