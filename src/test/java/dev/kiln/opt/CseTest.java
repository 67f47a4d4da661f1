package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertCounts;
import static dev.kiln.opt.OptTesting.assertListing;
import static dev.kiln.opt.OptTesting.assertSameRuns;
import static dev.kiln.opt.OptTesting.feeds;
import static dev.kiln.opt.OptTesting.program;
import static dev.kiln.opt.OptTesting.run;
import static dev.kiln.opt.OptTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import org.junit.jupiter.api.Test;

class CseTest {
    private static final EliminateCommonSubexpressions PASS = new EliminateCommonSubexpressions();

    @Test
    void twoEqualExpsBecomeOne() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        tf.name("out", tf.add(tf.exp(x), tf.exp(x)));
        Program before = program(tf, "out");
        assertCounts(before, "exp", 2);
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[2,3] = exp %0",
                "%2 f32[2,3] = add %1, %1",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(1, n)), 0, 1, 0);
    }

    @Test
    void mergingCascades() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        Node y = tf.placeholder("y", Tf.shape(3));
        tf.name("a", tf.reduceSum(tf.mul(tf.exp(x), y), new int[] {0}, true));
        tf.name("b", tf.reduceSum(tf.mul(tf.exp(x), y), new int[] {-1}, true));
        Program after = run(PASS, program(tf, "a", "b"));
        assertCounts(after, "exp", 1, "mul", 1, "reduce_sum", 1);
        assertSame(after.fetches().get(0), after.fetches().get(1));
    }

    @Test
    void differentOpsOrOperandsOrAttributesStayApart() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node y = tf.placeholder("y", Tf.shape(2, 3));
        tf.name("a", tf.exp(x));
        tf.name("b", tf.exp(y));
        tf.name("c", tf.log(x));
        tf.name("d", tf.sub(x, y));
        tf.name("e", tf.sub(y, x));
        tf.name("f", tf.reduceSum(x, new int[] {0}, false));
        tf.name("g", tf.reduceSum(x, new int[] {1}, false));
        tf.name("h", tf.reduceSum(x, new int[] {1}, true));
        tf.name("i", tf.pow(x, 3f));
        tf.name("j", tf.pow(x, 4f));
        tf.name("k", tf.mul(x, 0f));
        tf.name("l", tf.mul(x, -0f));
        Program p = program(tf, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
        Program after = run(PASS, p);
        assertSame(p, after);
        assertEquals(12, after.fetches().stream().distinct().count());
    }

    @Test
    void placeholdersVariablesAndAssignsAreNeverMerged() {
        Tf tf = new Tf();
        Node x1 = tf.placeholder("x1", Tf.shape(3));
        Node x2 = tf.placeholder("x2", Tf.shape(3));
        Node v1 = tf.variable("v1", tf.zeros(Tf.shape(3)));
        Node v2 = tf.variable("v2", tf.zeros(Tf.shape(3)));
        tf.assign(v1, tf.add(x1, x2));
        tf.assign(v2, tf.add(x1, x2));
        tf.name("out", tf.add(tf.add(v1, v2), tf.add(x1, x2)));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertCounts(after, "placeholder", 2, "variable", 2, "assign", 2, "fill", 0);
        assertCounts(after, "add", 3); // x1 + x2 once, v1 + v2, and the sum
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(2, n)), 0, 2, 0);
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        tf.name("out", tf.add(tf.exp(x), tf.tanh(x)));
        Program p = program(tf, "out");
        assertSame(p, PASS.run(p));
    }
}
