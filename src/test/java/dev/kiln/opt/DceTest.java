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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class DceTest {
    private static final EliminateDeadCode PASS = new EliminateDeadCode();

    /** loss = sum(x @ w); d loss/dx and d loss/dw both built; only the latter used. */
    private static Program gradientOfPlaceholderAndVariable() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(3, 4)));
        Node loss = tf.name("loss", tf.reduceSum(tf.matmul(x, w)));
        List<Node> g = tf.gradients(loss, x, w);
        tf.name("dx", g.get(0));
        tf.assign(w, tf.sub(w, tf.mul(0.1f, g.get(1))));
        return program(tf, "loss");
    }

    @Test
    void dropsTheGradientOfAPlaceholderAndTheInitializersButKeepsTheAssign() {
        Program before = gradientOfPlaceholderAndVariable();
        // d loss / dx = dy @ w^T, the only matmul with transpose_b
        assertTrue(OptTesting.ops(before).contains("matmul %6, %2 transpose_b=true"), OptTesting.text(before));
        assertCounts(before, "random_normal", 1);
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = variable",
                "%2 f32[2,4] = matmul %0, %1",
                "%3 f32[] = reduce_sum %2 axes=[0,1]",
                "%4 f32[] = fill value=1.0",
                "%5 f32[2,4] = broadcast_like %4, %2 axes=[0,1]",
                "%6 f32[3,4] = matmul %0, %5 transpose_a=true",
                "%7 f32[] = fill value=0.1",
                "%8 f32[3,4] = mul %7, %6",
                "%9 f32[3,4] = sub %1, %8",
                "%10 f32[3,4] = assign %1, %9",
                "fetch %3",
                "target %10");
        assertSame(after.fetches().get(0), after.graph().node("loss"));
        assertEquals(null, after.graph().node("dx"));
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(1, n)), 7, 3, 0);
    }

    @Test
    void keepsAssignsNobodyReadsAndDropsEverythingElse() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        Node unused = tf.placeholder("unused", Tf.shape(3));
        Node w = tf.variable("w", tf.zeros(Tf.shape(3)));
        tf.name("junk", tf.exp(tf.add(unused, x)));
        tf.assign(w, tf.add(w, x));
        Program before = program(tf);
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[3] = placeholder",
                "%1 f32[3] = variable",
                "%2 f32[3] = add %1, %0",
                "%3 f32[3] = assign %1, %2",
                "fetch",
                "target %3");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(2, n)), 0, 3, 0);
    }

    @Test
    void theNamesOfLiveNodesSurvive() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        tf.name("dead", tf.exp(x));
        tf.name("live", tf.tanh(x));
        Program after = run(PASS, program(tf, "live"));
        assertEquals("tanh", after.graph().node("live").op().name());
        assertEquals(null, after.graph().node("dead"));
        assertEquals("x", after.graph().nameOf(after.graph().nodes().get(0)));
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Program once = run(PASS, gradientOfPlaceholderAndVariable());
        assertSame(once, PASS.run(once));
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        tf.name("out", tf.exp(x));
        Program p = program(tf, "out");
        assertSame(p, PASS.run(p));
    }
}
