package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.FiniteDifferences;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** transpose (with and without perm) and reshape (with -1): shapes, values, gradients, errors. */
class ShapeOpsTest {
    private static Tensor iota(int... dims) {
        int n = Shape.of(dims).size();
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = i;
        }
        return Tensors.of(d, dims);
    }

    // ------------------------------------------------------------------ transpose

    @Test
    void transposeShapes() {
        Tf tf = new Tf();
        Node m = tf.placeholder("m", Tf.shape(2, 3));
        Node t = tf.placeholder("t", Tf.shape(2, 3, 4));
        Node n = tf.placeholder("n", Tf.shape(Tf.NONE, 3));
        Node v = tf.placeholder("v", Tf.shape(5));
        assertEquals(Tf.shape(3, 2), tf.transpose(m).shape());
        assertEquals(Tf.shape(4, 3, 2), tf.transpose(t).shape());
        assertEquals(Tf.shape(3, 2, 4), tf.transpose(t, 1, 0, 2).shape());
        assertEquals(Tf.shape(4, 2, 3), tf.transpose(t, 2, 0, 1).shape());
        assertEquals(Tf.shape(2, 3, 4), tf.transpose(t, 0, 1, 2).shape());
        assertEquals(Tf.shape(3, Tf.NONE), tf.transpose(n).shape());
        assertEquals(Tf.shape(5), tf.transpose(v).shape());
        Node nt = tf.name("nt", tf.transpose(n, 1, 0));
        assertEquals(Tf.shape(3, 7), tf.build().bind(7).node("nt").shape());
        assertEquals(Tf.shape(3, Tf.NONE), nt.shape());
    }

    @Test
    void transposeValues() {
        Tf tf = new Tf();
        Node m = tf.constant(mat(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
        Node t = tf.constant(iota(2, 3, 4)); // [i,j,k] = 12i + 4j + k
        List<Tensor> v = Eval.evalAll(tf, Map.of(), tf.transpose(m), tf.transpose(m, 1, 0), tf.transpose(t, 2, 0, 1),
                tf.transpose(t), tf.transpose(t, 0, 1, 2));
        Tensor mt = mat(new float[] {1, 4}, new float[] {2, 5}, new float[] {3, 6});
        assertAllClose(mt, v.get(0));
        assertAllClose(mt, v.get(1));
        float[] p201 = new float[24]; // out[k,i,j] = in[i,j,k]
        float[] rev = new float[24]; // out[k,j,i] = in[i,j,k]
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    p201[k * 6 + i * 3 + j] = 12 * i + 4 * j + k;
                    rev[k * 6 + j * 2 + i] = 12 * i + 4 * j + k;
                }
            }
        }
        assertAllClose(Tensors.of(p201, 4, 2, 3), v.get(2));
        assertAllClose(Tensors.of(rev, 4, 3, 2), v.get(3));
        assertAllClose(iota(2, 3, 4), v.get(4));
    }

    static Stream<Arguments> badPerms() {
        return Stream.of(
                Arguments.of(new int[] {0, 0}),
                Arguments.of(new int[] {0, 2}),
                Arguments.of(new int[] {-1, 0}),
                Arguments.of(new int[] {0}),
                Arguments.of(new int[] {0, 1, 2}));
    }

    @ParameterizedTest(name = "perm={0}")
    @MethodSource("badPerms")
    void badPermutationsAreRejectedNamingOpOperandAndCaller(int[] perm) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        assertKilnErrorAt(() -> tf.transpose(x, perm), "transpose", "'x' f32[2,3]", "perm");
    }

    static Stream<Arguments> perms() {
        return Stream.of(
                Arguments.of(new int[] {3, 4}, null),
                Arguments.of(new int[] {2, 3, 4}, null),
                Arguments.of(new int[] {2, 3, 4}, new int[] {1, 0, 2}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {2, 0, 1}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {1, 2, 0}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {0, 1, 2}));
    }

    @ParameterizedTest(name = "{0} perm={1}")
    @MethodSource("perms")
    void transposeGradients(int[] dims, int[] perm) {
        long seed = dims.length * 10L + (perm == null ? 0 : perm[0] * 3 + perm[1]);
        Tensor g = GradCheck.unary(seed, Tensors.random(seed, dims),
                (tf, x) -> perm == null ? tf.transpose(x) : tf.transpose(x, perm));
        assertEquals(Shape.of(dims), g.shape());
    }

    @Test
    void transposeGradientOnLiterals() {
        // loss = sum(transpose(x) * c): dx = transpose(c)
        Tf tf = new Tf();
        Node x = tf.variable("x", Tensors.random(1, 2, 3));
        Node c = tf.constant(mat(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6}));
        Node g = tf.gradients(tf.reduceSum(tf.mul(tf.transpose(x), c)), x).get(0);
        assertAllClose(mat(new float[] {1, 3, 5}, new float[] {2, 4, 6}), Eval.eval(tf, g));
    }

    // ------------------------------------------------------------------ reshape

    static Stream<Arguments> reshapeShapes() {
        return Stream.of(
                Arguments.of(new int[] {2, 3}, new int[] {3, 2}, new int[] {3, 2}),
                Arguments.of(new int[] {2, 3}, new int[] {6}, new int[] {6}),
                Arguments.of(new int[] {2, 3}, new int[] {-1}, new int[] {6}),
                Arguments.of(new int[] {2, 3}, new int[] {3, -1}, new int[] {3, 2}),
                Arguments.of(new int[] {2, 3}, new int[] {-1, 1, 2}, new int[] {3, 1, 2}),
                Arguments.of(new int[] {2, 3, 4}, new int[] {4, -1}, new int[] {4, 6}),
                Arguments.of(new int[] {1, 1}, new int[] {}, new int[] {}),
                Arguments.of(new int[] {}, new int[] {1, -1}, new int[] {1, 1}));
    }

    @ParameterizedTest(name = "{0} -> {1} = {2}")
    @MethodSource("reshapeShapes")
    void reshapeShapesInferMinusOne(int[] in, int[] target, int[] expected) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Shape.of(in));
        assertEquals(Shape.of(expected), tf.reshape(x, target).shape());
    }

    @Test
    void reshapeWithNoneIsInferredWhenBound() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node flat = tf.name("flat", tf.reshape(x, -1));
        Node pairs = tf.name("pairs", tf.reshape(x, -1, 6));
        assertEquals(Tf.shape(Tf.NONE), flat.shape());
        assertEquals(Tf.shape(Tf.NONE, 6), pairs.shape());
        Graph g = tf.build();
        Graph b4 = g.bind(4);
        assertEquals(Tf.shape(12), b4.node("flat").shape());
        assertEquals(Tf.shape(2, 6), b4.node("pairs").shape());
        // 3 rows of 3 do not make rows of 6
        assertKilnError(() -> g.bind(3), "reshape", "'x' f32[3,3]", "cannot reshape 9 elements");
    }

    @Test
    void reshapeKeepsRowMajorOrder() {
        Tf tf = new Tf();
        Node x = tf.constant(mat(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
        List<Tensor> v = Eval.evalAll(tf, Map.of(), tf.reshape(x, 3, 2), tf.reshape(x, -1), tf.reshape(x, 1, -1, 1));
        assertAllClose(mat(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6}), v.get(0));
        assertAllClose(Tensors.vec(1, 2, 3, 4, 5, 6), v.get(1));
        assertAllClose(Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 6, 1), v.get(2));
    }

    @Test
    void reshapeToTheWrongSizeIsRejectedNamingOpOperandAndCaller() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        assertKilnErrorAt(() -> tf.reshape(x, 4), "reshape('x' f32[2,3])", "cannot reshape 6 elements into [4]");
        assertKilnErrorAt(() -> tf.reshape(x, -1, 4), "reshape('x' f32[2,3])", "cannot reshape 6 elements");
    }

    @Test
    void badReshapeTargetsAreRejectedNamingOpOperandAndCaller() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        assertKilnErrorAt(() -> tf.reshape(x, -1, -1), "reshape", "'x' f32[2,3]", "-1");
        assertKilnErrorAt(() -> tf.reshape(x, 0, 6), "reshape", "'x' f32[2,3]", "bad dimension 0");
        assertKilnErrorAt(() -> tf.reshape(x, -2, -3), "reshape", "'x' f32[2,3]", "bad dimension -2");
    }

    @Test
    void reshapeGradients() {
        GradCheck.unary(5, Tensors.random(5, 2, 3, 4), (tf, x) -> tf.reshape(x, 4, -1));
        GradCheck.unary(6, Tensors.random(6, 2, 3), (tf, x) -> tf.reshape(x, -1));
        GradCheck.unary(7, Tensors.random(7, 6), (tf, x) -> tf.transpose(tf.reshape(x, 2, 3)));
        // reshape between other ops, so that dy has a non-trivial layout
        GradCheck.unary(8, Tensors.random(8, 4, 3),
                (tf, x) -> tf.matmul(tf.reshape(tf.tanh(x), 2, 6), tf.reshape(x, 6, 2)));
    }

    @Test
    void reshapeGradientWithANoneBatch() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 2, 3));
        Node w = tf.variable("w", Tensors.random(2, 6, 2));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.matmul(tf.reshape(x, -1, 6), w))));
        List<Node> g = tf.gradients(loss, x, w);
        assertEquals(Tf.shape(Tf.NONE, 2, 3), g.get(0).shape());
        Graph bound = tf.build().bind(3);
        FiniteDifferences.of(bound, "loss").feed("x", Tensors.random(3, 3, 2, 3)).wrt("x", g.get(0))
                .wrt("w", g.get(1)).verify();
    }

    @Test
    void reshapeGradientWhenTheInputHasTwoNoneDimensions() {
        // x is [None, None] (both bound to the batch size); flattening it is legal and so is its gradient
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, Tf.NONE));
        Node loss = tf.name("loss", tf.reduceSum(tf.square(tf.reshape(x, -1))));
        Node g = tf.gradients(loss, x).get(0);
        assertEquals(Tf.shape(Tf.NONE, Tf.NONE), g.shape());
        Graph bound = tf.build().bind(3);
        FiniteDifferences.of(bound, "loss").feed("x", Tensors.random(4, 3, 3)).wrt("x", g).verify();
    }
}
