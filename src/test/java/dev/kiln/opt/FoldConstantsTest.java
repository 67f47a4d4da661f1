package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertCounts;
import static dev.kiln.opt.OptTesting.assertListing;
import static dev.kiln.opt.OptTesting.assertSameRuns;
import static dev.kiln.opt.OptTesting.feeds;
import static dev.kiln.opt.OptTesting.program;
import static dev.kiln.opt.OptTesting.run;
import static dev.kiln.opt.OptTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.dsl.Tf;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoldConstantsTest {
    private static final FoldConstants PASS = new FoldConstants();

    @Test
    void arithmeticOnConstantsIsEvaluated() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2));
        Node c = tf.add(tf.constant(new float[] {1, 2}, Tf.shape(2)), tf.constant(new float[] {3, 5}, Tf.shape(2)));
        tf.name("out", tf.mul(x, tf.exp(tf.sub(c, c))));
        tf.name("c", tf.mul(c, 2f));
        Program before = program(tf, "out", "c");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2] = placeholder",
                "%1 f32[2] = fill value=1.0",
                "%2 f32[2] = mul %0, %1",
                "%3 f32[2] = constant value=[8.0,14.0]",
                "fetch %2 %3",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(1, n)), 0, 1, 0);
    }

    @Test
    void uniformResultsBecomeFills() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 2));
        tf.name("out", tf.add(x, tf.mul(tf.ones(Tf.shape(2, 2)), tf.constant(3f))));
        Program after = run(PASS, program(tf, "out"));
        assertListing(after,
                "%0 f32[2,2] = placeholder",
                "%1 f32[2,2] = fill value=3.0",
                "%2 f32[2,2] = add %0, %1",
                "fetch %2",
                "target");
    }

    @Test
    void scalarFunctionsOfScalarsFold() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        tf.name("out", tf.mul(tf.log(tf.exp(tf.constant(0f))), x));
        tf.name("lr", tf.mul(tf.constant(1e-3f), tf.constant(2f)));
        Program after = run(PASS, program(tf, "out", "lr"));
        assertListing(after,
                "%0 f32[3] = placeholder",
                "%1 f32[] = fill value=0.0",
                "%2 f32[3] = mul %1, %0",
                "%3 f32[] = fill value=0.002",
                "fetch %2 %3",
                "target");
    }

    @Test
    void randomValuesAreNotFolded() {
        Tf tf = new Tf();
        tf.name("out", tf.mul(tf.randomNormal(Tf.shape(2, 2)), 2f));
        Program after = run(PASS, program(tf, "out"));
        assertCounts(after, "random_normal", 1, "mul", 1, "constant", 0);
    }

    @Test
    void largeResultsAreNotFolded() {
        Tf tf = new Tf();
        tf.name("big", tf.add(tf.ones(Tf.shape(300, 300)), tf.constant(1f)));
        tf.name("small", tf.add(tf.ones(Tf.shape(256, 256)), tf.constant(1f)));
        Program after = run(PASS, program(tf, "big", "small"));
        assertListing(after,
                "%0 f32[300,300] = fill value=1.0",
                "%1 f32[] = fill value=1.0",
                "%2 f32[300,300] = add %0, %1",
                "%3 f32[256,256] = fill value=2.0",
                "fetch %2 %3",
                "target");
    }

    @Test
    void sideEffectsAreNotFolded() {
        Tf tf = new Tf();
        Node w = tf.variable("w", tf.zeros(Tf.shape(2)));
        tf.assign(w, tf.add(tf.ones(Tf.shape(2)), tf.ones(Tf.shape(2))));
        Program p = run(new EliminateDeadCode(), program(tf));
        Program after = run(PASS, p);
        assertListing(after,
                "%0 f32[2] = variable",
                "%1 f32[2] = fill value=2.0",
                "%2 f32[2] = assign %0, %1",
                "fetch",
                "target %2");
        Interpreter i = new Interpreter(after.graph());
        i.setVariable("w", Tensor.zeros(Tf.shape(2)));
        i.run(Map.of(), after.fetches(), after.targets());
        assertArrayEquals(new float[] {2, 2}, i.variable("w").data());
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        tf.name("out", tf.mul(tf.add(x, tf.constant(1f)), tf.constant(new float[] {1, 2, 3}, Tf.shape(3))));
        Program p = program(tf, "out");
        assertSame(p, PASS.run(p));
    }
}
