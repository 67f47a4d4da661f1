package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertCounts;
import static dev.kiln.opt.OptTesting.assertListing;
import static dev.kiln.opt.OptTesting.assertSameRuns;
import static dev.kiln.opt.OptTesting.feeds;
import static dev.kiln.opt.OptTesting.program;
import static dev.kiln.opt.OptTesting.run;
import static dev.kiln.opt.OptTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import org.junit.jupiter.api.Test;

class FoldTransposesTest {
    private static final FoldTransposes PASS = new FoldTransposes();

    @Test
    void aTransposedLeftOperandBecomesTheTransposeAFlag() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(3, 2));
        Node b = tf.placeholder("b", Tf.shape(3, 4));
        tf.name("out", tf.matmul(tf.transpose(a), b));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[3,2] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[2,4] = matmul %0, %1 transpose_a=true",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(1, n)), 0, 1, 1e-6);
    }

    @Test
    void aTransposedRightOperandBecomesTheTransposeBFlag() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(4, 3));
        tf.name("out", tf.matmul(a, tf.transpose(b, 1, 0)));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[4,3] = placeholder",
                "%2 f32[2,4] = matmul %0, %1 transpose_b=true",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(2, n)), 0, 1, 1e-6);
    }

    @Test
    void flagsThatWereAlreadySetAreFlipped() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(3, 4));
        // transpose_a of a transposed a, transpose_b of a transposed b: both flags cancel
        tf.name("out", tf.matmul(tf.transpose(a), tf.transpose(b), true, true));
        Program before = program(tf, "out");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[2,4] = matmul %0, %1",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(3, n)), 0, 1, 1e-6);
    }

    @Test
    void transposesOfTransposesCompose() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3, 4));
        tf.name("composed", tf.transpose(tf.transpose(x, 1, 2, 0), 1, 2, 0));
        tf.name("identity", tf.transpose(tf.transpose(x, 1, 2, 0), 2, 0, 1));
        tf.name("noop", tf.transpose(x, 0, 1, 2));
        Program before = program(tf, "composed", "identity", "noop");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3,4] = placeholder",
                "%1 f32[4,2,3] = transpose %0 perm=[2,0,1]",
                "fetch %1 %0 %0",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(4, n)), 0, 1, 0);
    }

    @Test
    void otherTransposesAreKept() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(3, 2));
        Node b = tf.placeholder("b", Tf.shape(3, 4));
        Node t = tf.name("t", tf.transpose(a));
        tf.name("prod", tf.matmul(t, b));
        tf.name("e", tf.exp(tf.transpose(b)));
        Program before = program(tf, "t", "prod", "e");
        Program after = run(PASS, before);
        // the matmul no longer reads the transpose, but the fetch and exp still need theirs
        assertCounts(after, "transpose", 2, "matmul", 1, "exp", 1);
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(5, n)), 0, 1, 1e-6);
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(3, 2));
        Node b = tf.placeholder("b", Tf.shape(3, 4));
        tf.name("out", tf.exp(tf.transpose(tf.matmul(a, b, true, false))));
        Program p = program(tf, "out");
        assertSame(p, PASS.run(p));
    }
}
