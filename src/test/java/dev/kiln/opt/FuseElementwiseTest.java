package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertCounts;
import static dev.kiln.opt.OptTesting.assertListing;
import static dev.kiln.opt.OptTesting.assertSameRuns;
import static dev.kiln.opt.OptTesting.feeds;
import static dev.kiln.opt.OptTesting.program;
import static dev.kiln.opt.OptTesting.run;
import static dev.kiln.opt.OptTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ops.Elementwise;
import dev.kiln.ops.FusedElementwise;
import dev.kiln.ops.FusedReduce;
import dev.kiln.ops.Pow;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.ops.Sub;
import dev.kiln.ops.Tanh;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseElementwiseTest {
    private static final FuseElementwise PASS = new FuseElementwise();

    @Test
    void aChainBecomesOneFusedNode() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node y = tf.placeholder("y", Tf.shape(2, 3));
        tf.name("out", tf.add(tf.exp(tf.mul(tf.neg(x), y)), 1f));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[2,3] = placeholder",
                "%2 f32[2,3] = fused %0, %1 expr=add(exp(mul(neg($0), $1)), 1.0)",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(1, n)), 0, 1, 0);
    }

    @Test
    void aSumOfSquaredDifferencesBecomesOneFusedReduction() {
        Tf tf = new Tf();
        Node y = tf.placeholder("y", Tf.shape(4, 3));
        Node p = tf.placeholder("p", Tf.shape(4, 3));
        tf.name("loss", tf.reduceSum(tf.pow(tf.sub(y, p), 2f)));
        Program before = program(tf, "loss");
        Program after = run(PASS, before);
        assertCounts(after, "fused_reduce_sum", 1, "reduce_sum", 0, "pow", 0, "sub", 0, "fused", 0);
        Node r = OptTesting.only(after, "fused_reduce_sum");
        assertSame(r, after.fetches().get(0));
        assertEquals(List.of(after.graph().node("y"), after.graph().node("p")), r.inputs());
        FusedReduce op = (FusedReduce) r.op();
        ScalarExpr diff = new ScalarExpr.Apply(new Sub(), List.of(new ScalarExpr.Arg(0), new ScalarExpr.Arg(1)));
        assertEquals(new ScalarExpr.Apply(new Pow(2f), List.of(diff)), op.expr());
        assertArrayEquals(new int[] {0, 1}, op.axes());
        assertEquals(Shape.SCALAR, r.shape());
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(2, n)), 0, 1, 0);
    }

    @Test
    void aMeanOverOneAxisBecomesAFusedMean() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(4, 3));
        Node b = tf.placeholder("b", Tf.shape(3));
        tf.name("m", tf.reduceMean(tf.tanh(tf.add(x, b)), new int[] {1}, true));
        Program before = program(tf, "m");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[4,3] = placeholder",
                "%1 f32[3] = placeholder",
                "%2 f32[4,1] = fused_reduce_mean %0, %1 expr=tanh(add($0, $1)) axes=[1] keepdims=true",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(3, n)), 0, 1, 1e-6);
    }

    @Test
    void aValueWithAnotherReaderIsNotAbsorbed() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node e = tf.name("e", tf.exp(x));
        tf.name("a", tf.neg(tf.tanh(e)));
        tf.name("b", tf.sigmoid(e));
        Program before = program(tf, "a", "b");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[2,3] = exp %0",
                "%2 f32[2,3] = fused %1 expr=neg(tanh($0))",
                "%3 f32[2,3] = sigmoid %1",
                "fetch %2 %3",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(4, n)), 0, 1, 0);
    }

    @Test
    void aFetchedValueIsNotAbsorbed() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node d = tf.name("d", tf.sub(x, 1f));
        tf.name("loss", tf.reduceSum(tf.mul(tf.exp(d), 3f)));
        Program before = program(tf, "d", "loss");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[2,3] = fused %0 expr=sub($0, 1.0)",
                "%2 f32[] = fused_reduce_sum %1 expr=mul(exp($0), 3.0) axes=[0,1]",
                "fetch %1 %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(5, n)), 0, 1, 0);
    }

    @Test
    void aBroadcastOperandIsNotAbsorbed() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(3));
        tf.name("out", tf.add(x, tf.exp(b)));
        Program p = program(tf, "out");
        Program after = run(PASS, p);
        assertSame(p, after);
        assertCounts(after, "exp", 1, "add", 1, "fused", 0);
    }

    @Test
    void aBroadcastOperandIsALeafOfTheFusedLoop() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(3));
        tf.name("out", tf.sigmoid(tf.add(x, tf.exp(b))));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3] = placeholder",
                "%2 f32[3] = exp %1",
                "%3 f32[2,3] = fused %0, %2 expr=sigmoid(add($0, $1))",
                "fetch %3",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(6, n)), 0, 1, 0);
    }

    @Test
    void aMatmulInTheMiddleSplitsTheChain() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node w = tf.placeholder("w", Tf.shape(3, 4));
        tf.name("out", tf.reduceSum(tf.tanh(tf.matmul(tf.exp(tf.neg(x)), w))));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[2,3] = fused %0 expr=exp(neg($0))",
                "%3 f32[2,4] = matmul %2, %1",
                "%4 f32[] = fused_reduce_sum %3 expr=tanh($0) axes=[0,1]",
                "fetch %4",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(7, n)), 0, 1, 0);
    }

    /**
     * The listing of a fused node must tell {@code x ** 3} from {@code x ** 4}: golden tests and dumps
     * compare listings, and these two programs differ.
     */
    @Test
    void theListingOfAFusedPowShowsItsExponent() {
        Program three = fusedPow(3f);
        Program four = fusedPow(4f);
        assertNotEquals(OptTesting.text(three), OptTesting.text(four));
    }

    private static Program fusedPow(float exponent) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        tf.name("out", tf.exp(tf.pow(x, exponent)));
        return run(PASS, program(tf, "out"));
    }

    /** A chain longer than {@link FuseElementwise#MAX_OPS} is split into several loops, none over the bound. */
    @Test
    void aLongChainIsSplitIntoBoundedLoops() {
        int length = 2 * FuseElementwise.MAX_OPS + 10;
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node y = tf.placeholder("y", Tf.shape(2, 3));
        Node v = x;
        for (int i = 0; i < length; i++) {
            v = i % 3 == 0 ? tf.tanh(v) : i % 3 == 1 ? tf.mul(v, y) : tf.add(v, 0.5f);
        }
        tf.name("chain", v);
        tf.name("sum", tf.reduceSum(tf.sigmoid(v)));
        Program before = program(tf, "chain", "sum");
        Program after = run(PASS, before);
        int ops = 0;
        for (Node n : after.graph().nodes()) {
            if (n.op() instanceof FusedElementwise f) {
                assertTrue(f.expr().size() <= FuseElementwise.MAX_OPS, () -> n + " has " + f.expr().size() + " ops");
                ops += f.expr().size();
            } else if (n.op() instanceof FusedReduce f) {
                assertTrue(f.expr().size() <= FuseElementwise.MAX_OPS, () -> n + " has " + f.expr().size() + " ops");
            } else if (n.op() instanceof Elementwise) {
                ops += 1; // where a loop would have grown past the bound
            } else {
                assertTrue(n.op().isSource(), () -> "unexpected " + n);
            }
        }
        assertEquals(length, ops);
        assertTrue(OptTesting.count(after, "fused") >= 3, OptTesting.text(after));
        assertCounts(after, "fused_reduce_sum", 1);
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(8, n)), 0, 1, 0);
    }

    /** A reduction is not fused with a loop that is already at the bound (here, one built by hand). */
    @Test
    void aReductionOfAnOverlongLoopStaysAReduction() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        ScalarExpr e = new ScalarExpr.Arg(0);
        for (int i = 0; i <= FuseElementwise.MAX_OPS; i++) {
            e = new ScalarExpr.Apply(new Tanh(), List.of(e));
        }
        Node big = tf.builder().add(new FusedElementwise(e, 1), x);
        tf.name("sum", tf.reduceSum(big));
        Program p = program(tf, "sum");
        assertSame(p, run(PASS, p));
        Tf small = new Tf();
        Node y = small.placeholder("x", Tf.shape(2, 3));
        small.name("sum", small.reduceSum(small.builder().add(new FusedElementwise(new ScalarExpr.Apply(new Tanh(),
                List.of(new ScalarExpr.Arg(0))), 1), y)));
        assertCounts(run(PASS, program(small, "sum")), "fused_reduce_sum", 1, "fused", 0);
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node y = tf.placeholder("y", Tf.shape(2, 3));
        Node s = tf.name("s", tf.add(x, y));
        tf.name("t", tf.exp(s));
        Program p = program(tf, "s", "t");
        assertSame(p, PASS.run(p));
    }
}
