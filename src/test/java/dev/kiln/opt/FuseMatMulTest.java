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

class FuseMatMulTest {
    private static final FuseMatMul PASS = new FuseMatMul();

    private static Tf layer(Node[] xwb) {
        Tf tf = new Tf();
        xwb[0] = tf.placeholder("x", Tf.shape(2, 3));
        xwb[1] = tf.placeholder("w", Tf.shape(3, 4));
        xwb[2] = tf.placeholder("b", Tf.shape(4));
        return tf;
    }

    @Test
    void reluOfMatmulPlusBiasBecomesMatmulBiasRelu() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        tf.name("h", tf.relu(tf.add(tf.matmul(n[0], n[1]), n[2])));
        Program before = program(tf, "h");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[4] = placeholder",
                "%3 f32[2,4] = matmul_bias_relu %0, %1, %2 epilogue=relu(add($0, $1))",
                "fetch %3",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), x -> uniform(1, x)), 0, 1, 0);
    }

    @Test
    void afterElementwiseFusionTheFusedChainBecomesTheEpilogue() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        Node v = tf.placeholder("v", Tf.shape(3, 4));
        tf.name("h", tf.relu(tf.add(tf.matmul(n[0], n[1]), n[2])));
        tf.name("t", tf.tanh(tf.add(tf.mul(tf.matmul(n[0], v), 2f), n[2])));
        Program before = program(tf, "h", "t");
        Program elementwise = run(new FuseElementwise(), before);
        assertCounts(elementwise, "matmul", 2, "fused", 2);
        Program fused = run(PASS, elementwise);
        assertListing(fused,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[4] = placeholder",
                "%3 f32[3,4] = placeholder",
                "%4 f32[2,4] = matmul_bias_relu %0, %1, %2 epilogue=relu(add($0, $1))",
                "%5 f32[2,4] = matmul_epilogue %0, %3, %2 epilogue=tanh(add(mul($0, 2.0), $1))",
                "fetch %4 %5",
                "target");
        assertSameRuns(before, fused, feeds(before.graph(), x -> uniform(2, x)), 0, 1, 1e-6);
    }

    @Test
    void reluOfMatmulBecomesMatmulRelu() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        tf.name("h", tf.relu(tf.matmul(n[1], n[0], true, true)));
        Program before = program(tf, "h");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[4,2] = matmul_relu %1, %0 transpose_a=true transpose_b=true epilogue=relu($0)",
                "fetch %2",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), x -> uniform(3, x)), 0, 1, 0);
    }

    @Test
    void matmulPlusBiasBecomesMatmulBias() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        tf.name("h", tf.add(n[2], tf.matmul(n[0], n[1])));
        Program before = program(tf, "h");
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[3,4] = placeholder",
                "%2 f32[4] = placeholder",
                "%3 f32[2,4] = matmul_epilogue %0, %1, %2 epilogue=add($1, $0)",
                "fetch %3",
                "target");
        assertSameRuns(before, after, feeds(before.graph(), x -> uniform(4, x)), 0, 1, 0);
    }

    @Test
    void notFusedWhenTheMatmulHasAnotherReader() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        Node m = tf.matmul(n[0], n[1]);
        tf.name("h", tf.relu(m));
        tf.name("s", tf.reduceSum(m));
        Program p = run(new EliminateDeadCode(), program(tf, "h", "s"));
        assertSame(p, run(PASS, p));
        assertCounts(p, "matmul", 1, "relu", 1, "matmul_relu", 0);
    }

    @Test
    void notFusedWhenTheMatmulIsFetched() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        Node m = tf.name("m", tf.matmul(n[0], n[1]));
        tf.name("h", tf.relu(m));
        Program p = run(new EliminateDeadCode(), program(tf, "h", "m"));
        assertSame(p, run(PASS, p));
    }

    @Test
    void notFusedWhenTheConsumerIsWiderThanTheProduct() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Node w = tf.placeholder("w", Tf.shape(3, 1));
        Node b = tf.placeholder("b", Tf.shape(2, 4));
        tf.name("h", tf.add(tf.matmul(x, w), b));
        Program p = program(tf, "h");
        assertSame(p, run(PASS, p));
    }

    @Test
    void notFusedWhenTheProductIsReadTwiceByTheConsumer() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        Node m = tf.matmul(n[0], n[1]);
        tf.name("sq", tf.mul(m, m));
        Program p = run(new EliminateDeadCode(), program(tf, "sq"));
        assertSame(p, run(PASS, p));
    }

    /** A fused chain of {@code ops} ops applied to {@code x @ w}, after elementwise fusion. */
    private static Program chainAfterMatmul(int ops) {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        Node v = tf.matmul(n[0], n[1]);
        for (int i = 0; i < ops; i++) {
            v = i % 2 == 0 ? tf.tanh(v) : tf.add(v, n[2]);
        }
        tf.name("out", v);
        Program p = run(new FuseElementwise(), program(tf, "out"));
        assertCounts(p, "fused", 1, "matmul", 1);
        return p;
    }

    @Test
    void anEpilogueOfAtMostTheBoundIsFused() {
        Program before = chainAfterMatmul(FuseMatMul.MAX_EPILOGUE_OPS);
        Program after = run(PASS, before);
        assertCounts(after, "matmul_epilogue", 1, "matmul", 0, "fused", 0);
        assertSameRuns(before, after, feeds(before.graph(), x -> uniform(5, x)), 0, 1, 0);
    }

    @Test
    void aLongerEpilogueIsNotFused() {
        Program before = chainAfterMatmul(FuseMatMul.MAX_EPILOGUE_OPS + 1);
        assertSame(before, run(PASS, before));
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Node[] n = new Node[3];
        Tf tf = layer(n);
        tf.name("h", tf.matmul(tf.relu(tf.add(n[0], tf.reduceSum(n[2]))), n[1]));
        Program p = program(tf, "h");
        assertSame(p, PASS.run(p));
    }
}
