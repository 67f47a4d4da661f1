package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertCounts;
import static dev.kiln.opt.OptTesting.assertListing;
import static dev.kiln.opt.OptTesting.assertSameRuns;
import static dev.kiln.opt.OptTesting.count;
import static dev.kiln.opt.OptTesting.feeds;
import static dev.kiln.opt.OptTesting.program;
import static dev.kiln.opt.OptTesting.run;
import static dev.kiln.opt.OptTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoldSgdUpdatesTest {
    private static final FoldSgdUpdates PASS = new FoldSgdUpdates();

    /**
     * w [3,4] (variable), a [3,2] and b [2,4] (placeholders); {@code update(tf, w, a @ b)} gives the value
     * assigned to w; the named nodes in {@code fetches} are fetched. Dead code (the initializer) is removed
     * so that the pass has nothing to do but fold.
     */
    private static Program updateProgram(Update update, String... fetches) {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(3, 2));
        Node b = tf.placeholder("b", Tf.shape(2, 4));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(3, 4)));
        Node product = tf.name("product", tf.matmul(a, b));
        tf.assign(w, update.value(tf, w, product));
        return run(new EliminateDeadCode(), program(tf, fetches));
    }

    @FunctionalInterface
    interface Update {
        Node value(Tf tf, Node w, Node product);
    }

    private static void assertFoldsTo(Update update, String sgdLine) {
        Program before = updateProgram(update);
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[3,2] = placeholder",
                "%1 f32[2,4] = placeholder",
                "%2 f32[3,4] = variable",
                "%3 f32[3,4] = " + sgdLine,
                "fetch",
                "target %3");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(11, n)), 3, 3, 1e-6);
    }

    private static void assertNotFolded(Program before) {
        Program after = run(PASS, before);
        assertSame(before, after, () -> "expected no change, got\n" + OptTesting.text(after));
        assertCounts(after, "sgd_update", 0, "assign", 1, "matmul", 1);
    }

    @Test
    void subtractingAScaledProductFoldsWithTheScaleAsRate() {
        assertFoldsTo((tf, w, p) -> tf.sub(w, tf.mul(0.5f, p)),
                "sgd_update %2, %0, %1 rate=0.5");
    }

    @Test
    void addingAScaledProductFoldsWithTheNegatedScale() {
        assertFoldsTo((tf, w, p) -> tf.add(w, tf.mul(0.5f, p)), "sgd_update %2, %0, %1 rate=-0.5");
    }

    @Test
    void addingToTheRightOfTheProductAlsoFolds() {
        assertFoldsTo((tf, w, p) -> tf.add(tf.mul(0.25f, p), w), "sgd_update %2, %0, %1 rate=-0.25");
    }

    @Test
    void anUnscaledProductFoldsWithRateOne() {
        assertFoldsTo((tf, w, p) -> tf.sub(w, p), "sgd_update %2, %0, %1 rate=1.0");
        assertFoldsTo((tf, w, p) -> tf.add(w, p), "sgd_update %2, %0, %1 rate=-1.0");
    }

    /** w1 -= lr·(w2-reading product) beside w2 -= lr·(w1-reading product): in place, neither order is right. */
    @Test
    void updatesThatWouldReadEachOthersVariablesAreNotFolded() {
        Tf tf = new Tf();
        Node w1 = tf.variable("w1", tf.zeros(Tf.shape(3, 4)));
        Node w2 = tf.variable("w2", tf.zeros(Tf.shape(4, 2)));
        Node dy = tf.placeholder("dy", Tf.shape(3, 2));
        tf.assign(w1, tf.sub(w1, tf.mul(0.5f, tf.matmul(dy, w2, false, true))));
        tf.assign(w2, tf.sub(w2, tf.mul(0.5f, tf.matmul(w1, dy, true, false))));
        Program before = run(new EliminateDeadCode(), program(tf));
        Program after = new FoldSgdUpdates().run(before);
        assertSame(before, after);
        assertEquals(0, count(after, "sgd_update"));
        // one of the two alone folds
        Tf one = new Tf();
        Node v1 = one.variable("w1", one.zeros(Tf.shape(3, 4)));
        Node v2 = one.variable("w2", one.zeros(Tf.shape(4, 2)));
        Node d = one.placeholder("dy", Tf.shape(3, 2));
        one.assign(v1, one.sub(v1, one.mul(0.5f, one.matmul(d, v2, false, true))));
        assertEquals(1, count(new FoldSgdUpdates().run(run(new EliminateDeadCode(), program(one))), "sgd_update"));
    }

    @Test
    void transposeFlagsAreKept() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(4, 2));
        Node w = tf.variable("w", tf.zeros(Tf.shape(3, 4)));
        tf.assign(w, tf.sub(w, tf.mul(0.125f, tf.matmul(a, b, true, true))));
        Program before = run(new EliminateDeadCode(), program(tf));
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[2,3] = placeholder",
                "%1 f32[4,2] = placeholder",
                "%2 f32[3,4] = variable",
                "%3 f32[3,4] = sgd_update %2, %0, %1 transpose_a=true transpose_b=true rate=0.125",
                "fetch",
                "target %3");
        assertSameRuns(before, after, feeds(before.graph(), n -> uniform(12, n)), 0, 3, 1e-6);
    }

    @Test
    void notFoldedWhenTheProductHasAnotherReader() {
        assertNotFolded(updateProgram((tf, w, p) -> {
            tf.name("other", tf.reduceSum(p));
            return tf.sub(w, tf.mul(0.5f, p));
        }, "other"));
    }

    @Test
    void notFoldedWhenTheProductIsFetched() {
        assertNotFolded(updateProgram((tf, w, p) -> tf.sub(w, tf.mul(0.5f, p)), "product"));
    }

    @Test
    void notFoldedWhenTheAssignIsFetched() {
        Program before = updateProgram((tf, w, p) -> tf.sub(w, tf.mul(0.5f, p)));
        Node assign = before.targets().get(0);
        assertNotFolded(new Program(before.graph(), List.of(assign), before.targets()));
    }

    @Test
    void notFoldedWhenTheNewValueOrTheStepHasAnotherReader() {
        assertNotFolded(updateProgram((tf, w, p) -> tf.name("next", tf.sub(w, tf.mul(0.5f, p))), "next"));
        assertNotFolded(updateProgram((tf, w, p) -> tf.sub(w, tf.name("step", tf.mul(0.5f, p))), "step"));
    }

    @Test
    void notFoldedWhenTheRateIsNotAConstant() {
        assertNotFolded(updateProgram((tf, w, p) -> {
            Node rate = tf.placeholder("rate", Tf.shape());
            return tf.sub(w, tf.mul(rate, p));
        }));
    }

    @Test
    void notFoldedWhenTheVariableIsNotTheMinuend() {
        assertNotFolded(updateProgram((tf, w, p) -> tf.sub(tf.mul(0.5f, p), w)));
        assertNotFolded(updateProgram((tf, w, p) -> tf.sub(w, tf.exp(p))));
    }

    /**
     * w [3,4] minus a product of shape [1,4] broadcast over the rows: a valid graph, which sgd_update (whose
     * product must have w's shape) cannot express. The pass must leave it alone.
     */
    @Test
    void notFoldedWhenTheProductBroadcastsToTheVariable() {
        Tf tf = new Tf();
        Node u = tf.placeholder("u", Tf.shape(1, 2));
        Node v = tf.placeholder("v", Tf.shape(2, 4));
        Node w = tf.variable("w", tf.zeros(Tf.shape(3, 4)));
        tf.assign(w, tf.sub(w, tf.mul(0.5f, tf.matmul(u, v))));
        Program before = run(new EliminateDeadCode(), program(tf));
        assertNotFolded(before);
        Program optimized = OptTesting.optimize(before);
        assertSameRuns(before, optimized, feeds(before.graph(), n -> uniform(13, n)), 0, 3, 1e-5);
    }

    /**
     * {@code w - c * (w @ b)}: the update kernel writes w while the product still reads it, so the pass must
     * leave it alone, also when w reaches the product through a reshape or with a transpose flag. The
     * assignment still becomes an in-place {@code update} (fold-updates), after the product has run.
     */
    @Test
    void notFoldedWhenTheProductReadsTheVariable() {
        for (int variant = 0; variant < 3; variant++) {
            Tf tf = new Tf();
            Node b = tf.placeholder("b", Tf.shape(3, 3));
            Node w = tf.variable("w", tf.zeros(Tf.shape(3, 3)));
            Node product = switch (variant) {
                case 0 -> tf.matmul(w, b);
                case 1 -> tf.matmul(b, w, false, true);
                default -> tf.matmul(tf.reshape(tf.reshape(w, 9), 3, 3), b);
            };
            tf.assign(w, tf.sub(w, tf.mul(0.25f, product)));
            Program before = run(new EliminateDeadCode(), program(tf));
            assertNotFolded(before);
            Program optimized = OptTesting.optimize(before);
            assertCounts(optimized, "sgd_update", 0, "assign", 0, "update", 1);
            assertSameRuns(before, optimized, feeds(before.graph(), n -> uniform(14, n)), 5, 3, 1e-5);
        }
    }

    @Test
    void foldedWhenTheProductReadsAnotherVariable() {
        Tf tf = new Tf();
        Node v = tf.variable("v", tf.zeros(Tf.shape(3, 3)));
        Node w = tf.variable("w", tf.zeros(Tf.shape(3, 3)));
        tf.assign(w, tf.sub(w, tf.mul(0.25f, tf.matmul(v, v, true, false))));
        Program before = run(new EliminateDeadCode(), program(tf));
        Program after = run(PASS, before);
        assertListing(after,
                "%0 f32[3,3] = variable",
                "%1 f32[3,3] = variable",
                "%2 f32[3,3] = sgd_update %1, %0, %0 transpose_a=true rate=0.25",
                "fetch",
                "target %2");
        assertSameRuns(before, after, Map.of(), 6, 3, 1e-6);
    }

    @Test
    void nothingToDoReturnsTheSameProgram() {
        Program p = updateProgram((tf, w, p2) -> tf.sub(w, tf.mul(0.5f, tf.exp(p2))));
        assertSame(p, PASS.run(p));
    }
}
