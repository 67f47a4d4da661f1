package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertSameRuns;
import static dev.kiln.opt.OptTesting.count;
import static dev.kiln.opt.OptTesting.feeds;
import static dev.kiln.opt.OptTesting.program;
import static dev.kiln.opt.OptTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimizer must not change what a program computes: the interpreter runs the original and the
 * optimized program side by side for a few SGD steps from the same state and feeds, and every fetch and
 * every variable must agree after every step. The interpreter runs both, so a difference is a pass bug,
 * never a codegen bug. Random programs: here a quick seeded sweep, and {@link OptimizedVsOriginalProperties}.
 */
class OptimizedVsOriginalTest {
    private static final int STEPS = 5;
    private static final double TOL = 1e-4;
    /** Random programs may train unstably; past this magnitude their values are no longer compared. */
    static final double DIVERGED = 1e6;

    static void assertOptimizationPreservesTraining(Program original, long seed, String... disabled) {
        assertOptimizationPreservesTraining(original, seed, Double.POSITIVE_INFINITY, disabled);
    }

    /** As above, comparing only until training diverges past {@code divergedAbove} (for random programs). */
    static void assertOptimizationPreservesTraining(Program original, long seed, double divergedAbove,
            String... disabled) {
        Program optimized = OptTesting.optimize(original, disabled);
        Map<String, Tensor> feeds = feeds(original.graph(), n -> uniform(seed, n));
        try {
            assertSameRuns(original, optimized, feeds, seed, STEPS, TOL, divergedAbove);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\noriginal:\n" + original + "\noptimized:\n" + optimized, e);
        }
    }

    // ---- hand-written programs

    @Test
    void theCanonicalProgram() {
        Program p = PipelineTest.canonicalProgram();
        assertOptimizationPreservesTraining(p, 1);
    }

    /** Two layers with bias vectors, tanh and a mean squared error. */
    static Graph mlp() {
        return mlpWithRate(0.1f);
    }

    @Test
    void anMlpWithBiasesTanhAndMeanLoss() {
        Program p = program(mlp(), 6, "loss");
        Program optimized = OptTesting.optimize(p);
        assertTrue(count(optimized, "sgd_update") == 2, () -> OptTesting.text(optimized));
        assertOptimizationPreservesTraining(p, 2);
        assertOptimizationPreservesTraining(program(mlp(), 6, "loss", "out"), 3);
    }

    @Test
    void everyPartialPipelinePreservesTraining() {
        for (String pass : Pipeline.passNames().stream().distinct().toList()) {
            assertOptimizationPreservesTraining(program(mlp(), 4, "loss"), 4, pass);
            assertOptimizationPreservesTraining(program(softmax(), 4, "loss"), 5, pass);
        }
    }

    /** Softmax written out with exp and a keepdims sum, and a cross-entropy through log. */
    static Graph softmax() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 4));
        Node labels = tf.placeholder("labels", Tf.shape(Tf.NONE, 3));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(4, 3), 0f, 0.5f, null));
        Node b = tf.variable("b", tf.zeros(Tf.shape(3)));
        Node logits = tf.add(tf.matmul(x, w), b);
        Node e = tf.exp(logits);
        Node probs = tf.name("probs", tf.div(e, tf.reduceSum(e, new int[] {1}, true)));
        Node ce = tf.neg(tf.reduceSum(tf.mul(labels, tf.log(probs)), new int[] {1}, false));
        Node loss = tf.name("loss", tf.reduceMean(ce));
        List<Node> g = tf.gradients(loss, w, b);
        tf.assign(w, tf.sub(w, tf.mul(0.5f, g.get(0))));
        tf.assign(b, tf.sub(b, tf.mul(0.5f, g.get(1))));
        return tf.build();
    }

    @Test
    void softmaxCrossEntropy() {
        Program p = program(softmax(), 8, "loss", "probs");
        assertOptimizationPreservesTraining(p, 6);
    }

    /** Logistic regression with the loss written out: -mean(y log p + (1 - y) log(1 - p)). */
    @Test
    void sigmoidLogisticLoss() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 1));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(3, 1), 0f, 0.5f, null));
        Node b = tf.variable("b", tf.zeros(Tf.shape(1)));
        Node p = tf.name("p", tf.sigmoid(tf.add(tf.matmul(x, w), b)));
        Node ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1f, y), tf.log(tf.sub(1f, p))));
        Node loss = tf.name("loss", tf.neg(tf.reduceMean(ll)));
        List<Node> g = tf.gradients(loss, w, b);
        tf.assign(w, tf.sub(w, tf.mul(1f, g.get(0))));
        tf.assign(b, tf.sub(b, tf.mul(1f, g.get(1))));
        Program prog = program(tf.build(), 10, "loss", "p");
        assertOptimizationPreservesTraining(prog, 7);
    }

    /** Broadcasting in both directions, explicit transposes into matmuls, reshapes, clipping with minimum/maximum, div. */
    @Test
    void broadcastsTransposesReshapesClipsAndDivisions() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 4));
        Node col = tf.placeholder("col", Tf.shape(Tf.NONE, 1));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(3, 4), 0f, 0.5f, null));
        Node s = tf.variable("s", tf.constant(new float[] {1f, 2f, 0.5f}, Tf.shape(1, 3)));
        Node v = tf.variable("v", tf.randomNormal(Tf.shape(2, 3), 0f, 0.5f, null));
        Node c = tf.variable("c", tf.constant(0.5f));
        Node z = tf.mul(tf.matmul(x, tf.transpose(w)), s); // [N,3] * [1,3]
        Node zc = tf.add(z, tf.mul(col, c)); // + [N,1] * []
        Node clipped = tf.minimum(tf.maximum(zc, tf.constant(-1.5f)), tf.ones(Tf.shape(1)));
        Node flat = tf.reshape(clipped, -1);
        Node back = tf.reshape(tf.mul(flat, flat), -1, 3);
        Node ratio = tf.div(back, tf.add(tf.exp(tf.neg(zc)), 1f));
        Node t = tf.matmul(v, tf.transpose(ratio)); // [2,3] @ [3,N]
        Node loss = tf.name("loss", tf.add(tf.reduceSum(tf.pow(t, 2f)), tf.reduceMean(tf.div(1f, tf.add(tf.square(c), 1f)))));
        tf.name("t", t);
        List<Node> g = tf.gradients(loss, w, s, v, c);
        float lr = 0.01f;
        tf.assign(w, tf.sub(w, tf.mul(lr, g.get(0))));
        tf.assign(s, tf.sub(s, tf.mul(lr, g.get(1))));
        tf.assign(v, tf.add(tf.mul(tf.constant(-lr), g.get(2)), v));
        tf.assign(c, tf.sub(c, tf.mul(lr, g.get(3))));
        Program prog = program(tf.build(), 7, "loss", "t");
        assertOptimizationPreservesTraining(prog, 8);
    }

    @Test
    void reluLayersWrittenEitherWay() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 6));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 2));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(6, 5), 0f, 0.5f, null));
        Node b1 = tf.variable("b1", tf.constant(new float[] {0.1f, 0.2f, -0.1f, 0f, 0.3f}, Tf.shape(5)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(5, 4), 0f, 0.5f, null));
        Node w3 = tf.variable("w3", tf.randomNormal(Tf.shape(4, 2), 0f, 0.5f, null));
        Node h1 = tf.relu(tf.add(tf.matmul(x, w1), b1));
        Node h2 = tf.maximum(tf.zeros(Tf.shape(1, 1)), tf.matmul(h1, w2));
        Node out = tf.matmul(h2, w3);
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.sub(y, out))));
        List<Node> g = tf.gradients(loss, w1, b1, w2, w3);
        float lr = 0.01f;
        tf.assign(w1, tf.sub(w1, tf.mul(lr, g.get(0))));
        tf.assign(b1, tf.sub(b1, tf.mul(lr, g.get(1))));
        tf.assign(w2, tf.sub(w2, tf.mul(lr, g.get(2))));
        tf.assign(w3, tf.sub(w3, tf.mul(lr, g.get(3))));
        Program prog = program(tf.build(), 9, "loss");
        Program optimized = OptTesting.optimize(prog);
        assertTrue(count(optimized, "matmul_bias_relu") == 1 && count(optimized, "matmul_relu") == 1
                && count(optimized, "maximum") == 0 && count(optimized, "relu") == 0,
                () -> OptTesting.text(optimized));
        assertOptimizationPreservesTraining(prog, 9);
    }

    /** The comparison is strict enough to see a real miscompile: a learning rate off by 10%. */
    @Test
    void theComparisonCatchesAWrongLearningRate() {
        Program p = program(mlp(), 6, "loss");
        Program wrong = OptTesting.optimize(program(mlpWithRate(0.11f), 6, "loss"));
        Map<String, Tensor> feeds = feeds(p.graph(), n -> uniform(2, n));
        assertSameRuns(p, OptTesting.optimize(program(mlpWithRate(0.1f), 6, "loss")), feeds, 2, STEPS, TOL);
        assertThrows(AssertionError.class, () -> assertSameRuns(p, wrong, feeds, 2, STEPS, TOL));
    }

    /** The comparison sees a mask that differs in one element. */
    @Test
    void theComparisonCatchesAOneElementDifference() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(3));
        tf.name("out", tf.mul(x, tf.constant(new float[] {1, 1, 1}, Tf.shape(3))));
        Tf tf2 = new Tf();
        Node x2 = tf2.placeholder("x", Tf.shape(3));
        tf2.name("out", tf2.mul(x2, tf2.constant(new float[] {1, 1, 0}, Tf.shape(3))));
        Program a = program(tf, "out");
        Program b = program(tf2, "out");
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(3), new float[] {0.5f, -0.5f, 1e-3f}));
        assertThrows(AssertionError.class, () -> assertSameRuns(a, b, feeds, 0, 1, TOL));
    }

    /** {@link #mlp()} with the learning rate {@code lr}, the updates written in three different ways. */
    private static Graph mlpWithRate(float lr) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 5));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 3));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(5, 8), 0f, 0.5f, null));
        Node b1 = tf.variable("b1", tf.zeros(Tf.shape(8)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(8, 3), 0f, 0.5f, null));
        Node b2 = tf.variable("b2", tf.constant(new float[] {0.1f, -0.2f, 0.3f}, Tf.shape(3)));
        Node h = tf.tanh(tf.add(tf.matmul(x, w1), b1));
        Node out = tf.add(tf.matmul(h, w2), b2);
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(out, y))));
        tf.name("out", out);
        List<Node> g = tf.gradients(loss, w1, b1, w2, b2);
        tf.assign(w1, tf.sub(w1, tf.mul(lr, g.get(0))));
        tf.assign(b1, tf.sub(b1, tf.mul(lr, g.get(1))));
        tf.assign(w2, tf.sub(w2, tf.mul(g.get(2), lr)));
        tf.assign(b2, tf.add(b2, tf.mul(-lr, g.get(3))));
        return tf.build();
    }

    // ---- random programs

    /** Many more random programs than the property tries, without shrinking (a quick sweep). */
    @Test
    void manyRandomProgramsTrainTheSameOptimized() {
        Random r = new Random(42);
        for (int t = 0; t < 300; t++) {
            List<RandomPrograms.Leaf> leaves = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                leaves.add(new RandomPrograms.Leaf(r.nextBoolean(), r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3)));
            }
            List<RandomPrograms.Instr> instrs = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
                instrs.add(new RandomPrograms.Instr(r.nextInt(RandomPrograms.OPS), r.nextInt(64), r.nextInt(64),
                        r.nextInt(64)));
            }
            Program original = RandomPrograms.build(leaves, instrs, r.nextInt(64), r.nextInt(64));
            try {
                assertOptimizationPreservesTraining(original, t, DIVERGED);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + t + ": " + e + "\n" + RandomPrograms.describe(leaves, instrs, original), e);
            }
        }
    }
}
