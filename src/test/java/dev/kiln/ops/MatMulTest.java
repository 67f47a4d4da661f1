package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.FiniteDifferences;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** matmul with all four transpose combinations: shapes, values, gradients, errors. */
class MatMulTest {
    // A is 2x3, B is 3x2; A @ B = [[22, 28], [49, 64]], B @ A = [[9,12,15],[19,26,33],[29,40,51]]
    private static final Tensor A = mat(new float[] {1, 2, 3}, new float[] {4, 5, 6});
    private static final Tensor B = mat(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6});
    private static final Tensor AB = mat(new float[] {22, 28}, new float[] {49, 64});
    private static final Tensor BA = mat(new float[] {9, 12, 15}, new float[] {19, 26, 33}, new float[] {29, 40, 51});

    static Tensor transposed(Tensor t) {
        int r = t.shape().dim(0);
        int c = t.shape().dim(1);
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                d[j * r + i] = t.data()[i * c + j];
            }
        }
        return Tensors.of(d, c, r);
    }

    @ParameterizedTest(name = "transpose_a={0} transpose_b={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void shapesForEachTransposeCombination(boolean ta, boolean tb) {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", ta ? Tf.shape(3, 5) : Tf.shape(5, 3));
        Node b = tf.placeholder("b", tb ? Tf.shape(4, 3) : Tf.shape(3, 4));
        assertEquals(Tf.shape(5, 4), tf.matmul(a, b, ta, tb).shape());
    }

    @Test
    void noneDimensionsFlowThroughAndBind() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node w = tf.variable("w", Tensors.random(1, 3, 7));
        Node y = tf.name("y", tf.matmul(x, w));
        Node xtx = tf.name("xtx", tf.matmul(x, x, true, false));
        Node xxt = tf.name("xxt", tf.matmul(x, x, false, true));
        assertEquals(Tf.shape(Tf.NONE, 7), y.shape());
        assertEquals(Tf.shape(3, 3), xtx.shape());
        assertEquals(Tf.shape(Tf.NONE, Tf.NONE), xxt.shape());
        Graph g = tf.build().bind(5);
        assertEquals(Tf.shape(5, 7), g.node("y").shape());
        assertEquals(Tf.shape(5, 5), g.node("xxt").shape());
        // an unknown inner dimension is accepted when building ...
        Tf tf2 = new Tf();
        Node p = tf2.placeholder("p", Tf.shape(4, Tf.NONE));
        Node q = tf2.placeholder("q", Tf.shape(6, 2));
        tf2.name("pq", tf2.matmul(p, q));
        Graph g2 = tf2.build();
        assertEquals(Tf.shape(4, 2), g2.bind(6).node("pq").shape());
        // ... and checked when the graph is bound
        assertKilnError(() -> g2.bind(5), "matmul", "'p' f32[4,5]", "'q' f32[6,2]", "5 vs 6");
    }

    @Test
    void innerDimensionMismatchNamesOpOperandsShapesAndCaller() {
        Tf tf = new Tf();
        Node a = tf.placeholder("a", Tf.shape(2, 3));
        Node b = tf.placeholder("b", Tf.shape(4, 5));
        assertKilnErrorAt(() -> tf.matmul(a, b), "matmul('a' f32[2,3], 'b' f32[4,5])", "3 vs 4");
        assertKilnErrorAt(() -> tf.matmul(a, b, true, true), "matmul('a' f32[2,3], 'b' f32[4,5])", "2 vs 5");
    }

    @Test
    void nonMatricesAreRejected() {
        Tf tf = new Tf();
        Node v = tf.placeholder("v", Tf.shape(3));
        Node m = tf.placeholder("m", Tf.shape(3, 3));
        Node t = tf.placeholder("t", Tf.shape(2, 3, 3));
        assertKilnErrorAt(() -> tf.matmul(v, m), "matmul('v' f32[3], 'm' f32[3,3])", "rank");
        assertKilnErrorAt(() -> tf.matmul(m, t), "matmul('m' f32[3,3], 't' f32[2,3,3])", "rank");
    }

    @Test
    void valuesForEachTransposeCombination() {
        Tf tf = new Tf();
        Node a = tf.constant(A);
        Node b = tf.constant(B);
        Node at = tf.constant(transposed(A));
        Node bt = tf.constant(transposed(B));
        List<Tensor> v = Eval.evalAll(tf, Map.of(), tf.matmul(a, b), tf.matmul(a, bt, false, true),
                tf.matmul(at, b, true, false), tf.matmul(at, bt, true, true), tf.matmul(b, a),
                tf.matmul(a, a, false, true), tf.matmul(a, a, true, false));
        assertAllClose(AB, v.get(0));
        assertAllClose(AB, v.get(1));
        assertAllClose(AB, v.get(2));
        assertAllClose(AB, v.get(3));
        assertAllClose(BA, v.get(4));
        assertAllClose(mat(new float[] {14, 32}, new float[] {32, 77}), v.get(5));
        assertAllClose(mat(new float[] {17, 22, 27}, new float[] {22, 29, 36}, new float[] {27, 36, 45}), v.get(6));
    }

    @Test
    void vectorTimesMatrixAndOuterProduct() {
        Tf tf = new Tf();
        Node row = tf.constant(Tensors.of(new float[] {1, -1, 2}, 1, 3));
        Node col = tf.constant(Tensors.of(new float[] {2, 3}, 2, 1));
        assertAllClose(Tensors.of(new float[] {8, 10}, 1, 2), Eval.eval(tf, tf.matmul(row, tf.constant(B))));
        assertAllClose(mat(new float[] {2, -2, 4}, new float[] {3, -3, 6}), Eval.eval(tf, tf.matmul(col, row)));
    }

    @ParameterizedTest(name = "transpose_a={0} transpose_b={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void gradientsForEachTransposeCombination(boolean ta, boolean tb) {
        long seed = (ta ? 2 : 0) + (tb ? 1 : 0);
        Tensor a = Tensors.random(10 + seed, ta ? new int[] {3, 4} : new int[] {4, 3});
        Tensor b = Tensors.random(20 + seed, tb ? new int[] {5, 3} : new int[] {3, 5});
        GradCheck.binary(seed, a, b, (tf, x, y) -> tf.matmul(x, y, ta, tb));
    }

    @Test
    void gradientOnLiteralsIsTheTensorFlowRule() {
        // loss = sum(A @ W): dW = A^T @ ones, dA = ones @ W^T
        Tf tf = new Tf();
        Node a = tf.variable("a", A);
        Node w = tf.variable("w", B);
        List<Node> g = tf.gradients(tf.reduceSum(tf.matmul(a, w)), a, w);
        List<Tensor> v = Eval.evalAll(tf, Map.of(), g.get(0), g.get(1));
        assertAllClose(mat(new float[] {3, 7, 11}, new float[] {3, 7, 11}), v.get(0));
        assertAllClose(mat(new float[] {5, 5}, new float[] {7, 7}, new float[] {9, 9}), v.get(1));
    }

    @Test
    void matmulOfANodeWithItselfAddsBothGradients() {
        // loss = sum(X^T X * C): both operands are X
        Tensor x = Tensors.random(41, 4, 3);
        Map<String, Tensor> vals = new java.util.LinkedHashMap<>();
        vals.put("x", x);
        GradCheck.weighted(7, vals, (tf, v) -> tf.matmul(v.get(0), v.get(0), true, false));
        GradCheck.weighted(8, vals, (tf, v) -> tf.matmul(v.get(0), v.get(0), false, true));
    }

    @Test
    void gradientWithABatchOfNoneBoundLater() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node w = tf.variable("w", Tensors.random(3, 3, 2));
        Node loss = tf.name("loss", tf.reduceMean(tf.tanh(tf.matmul(x, w))));
        List<Node> g = tf.gradients(loss, w, x);
        Graph bound = tf.build().bind(6);
        FiniteDifferences.of(bound, "loss").feed("x", Tensors.random(4, 6, 3)).wrt("w", g.get(0)).wrt("x", g.get(1))
                .verify();
    }
}
