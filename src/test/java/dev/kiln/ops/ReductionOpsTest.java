package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Eval;
import dev.kiln.testing.FiniteDifferences;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** reduce_sum and reduce_mean: all axes, lists of axes, negative axes, keepdims; shapes, values, gradients. */
class ReductionOpsTest {
    private static Node reduce(Tf tf, boolean mean, Node x, int[] axes, boolean keep) {
        return mean ? tf.reduceMean(x, axes, keep) : tf.reduceSum(x, axes, keep);
    }

    /** 0, 1, ..., 23 as [2,3,4]: element [i,j,k] is 12i + 4j + k. */
    private static Tensor iota234() {
        float[] d = new float[24];
        for (int i = 0; i < 24; i++) {
            d[i] = i;
        }
        return Tensors.of(d, 2, 3, 4);
    }

    static Stream<Arguments> shapeCases() {
        return Stream.of(
                Arguments.of(null, false, new int[] {}),
                Arguments.of(null, true, new int[] {1, 1, 1}),
                Arguments.of(new int[] {1}, false, new int[] {2, 4}),
                Arguments.of(new int[] {1}, true, new int[] {2, 1, 4}),
                Arguments.of(new int[] {0, 2}, false, new int[] {3}),
                Arguments.of(new int[] {2, 0}, true, new int[] {1, 3, 1}),
                Arguments.of(new int[] {-1}, false, new int[] {2, 3}),
                Arguments.of(new int[] {-1}, true, new int[] {2, 3, 1}),
                Arguments.of(new int[] {-3, -1}, false, new int[] {3}),
                Arguments.of(new int[] {0, 1, 2}, false, new int[] {}),
                Arguments.of(new int[] {}, false, new int[] {2, 3, 4}));
    }

    @ParameterizedTest(name = "axes={0} keepdims={1} -> {2}")
    @MethodSource("shapeCases")
    void shapes(int[] axes, boolean keep, int[] expected) {
        for (boolean mean : new boolean[] {false, true}) {
            Tf tf = new Tf();
            Node x = tf.placeholder("x", Tf.shape(2, 3, 4));
            assertEquals(Shape.of(expected), reduce(tf, mean, x, axes, keep).shape(), mean ? "mean" : "sum");
        }
    }

    @Test
    void axesAreNormalizedToSortedNonNegativeIndices() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3, 4));
        assertEquals("axes=[0,2]", tf.reduceSum(x, new int[] {2, 0}, false).op().attributes());
        assertEquals("axes=[0,2] keepdims=true", tf.reduceMean(x, new int[] {-1, -3}, true).op().attributes());
        assertEquals("axes=[0,1,2]", tf.reduceSum(x).op().attributes());
        // so equal reductions are equal ops, whichever way the axes were written
        assertEquals(tf.reduceSum(x, new int[] {1, -1}, false).op(), tf.reduceSum(x, new int[] {2, 1}, false).op());
    }

    @Test
    void shapesWithNoneDimensions() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        assertEquals(Tf.shape(Tf.NONE), tf.reduceSum(x, new int[] {1}, false).shape());
        assertEquals(Tf.shape(Tf.NONE, 1), tf.reduceMean(x, new int[] {-1}, true).shape());
        assertEquals(Tf.shape(3), tf.reduceMean(x, new int[] {0}, false).shape());
        assertEquals(Shape.SCALAR, tf.reduceSum(x).shape());
        Node m = tf.name("m", tf.reduceMean(x, new int[] {1}, false));
        assertEquals(Tf.shape(5), tf.build().bind(5).node("m").shape());
        assertEquals(Tf.shape(Tf.NONE), m.shape());
    }

    static Stream<Arguments> badAxes() {
        return Stream.of(
                Arguments.of(new int[] {1, 1}, "repeated"),
                Arguments.of(new int[] {1, -2}, "repeated"),
                Arguments.of(new int[] {0, 2, -1}, "repeated"),
                Arguments.of(new int[] {3}, "out of range"),
                Arguments.of(new int[] {-4}, "out of range"),
                Arguments.of(new int[] {0, 7}, "out of range"));
    }

    @ParameterizedTest(name = "axes={0}")
    @MethodSource("badAxes")
    void badAxesAreRejectedNamingOpOperandAndCaller(int[] axes, String why) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3, 4));
        assertKilnErrorAt(() -> tf.reduceSum(x, axes, false), "reduce_sum", "'x' f32[2,3,4]", why);
        assertKilnErrorAt(() -> tf.reduceMean(x, axes, true), "reduce_mean", "'x' f32[2,3,4]", why);
    }

    @Test
    void valuesOfA2x3Matrix() {
        Tf tf = new Tf();
        Node x = tf.constant(mat(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
        List<Tensor> v = Eval.evalAll(tf, Map.of(), tf.reduceSum(x), tf.reduceSum(x, new int[] {0}, false),
                tf.reduceSum(x, new int[] {1}, false), tf.reduceSum(x, new int[] {-1}, true), tf.reduceMean(x),
                tf.reduceMean(x, new int[] {0}, false), tf.reduceMean(x, new int[] {-1}, false),
                tf.reduceSum(x, null, true), tf.reduceMean(x, new int[] {-2, 1}, true));
        assertAllClose(Tensors.scalar(21), v.get(0));
        assertAllClose(vec(5, 7, 9), v.get(1));
        assertAllClose(vec(6, 15), v.get(2));
        assertAllClose(Tensors.of(new float[] {6, 15}, 2, 1), v.get(3));
        assertAllClose(Tensors.scalar(3.5f), v.get(4));
        assertAllClose(vec(2.5f, 3.5f, 4.5f), v.get(5));
        assertAllClose(vec(2, 5), v.get(6));
        assertAllClose(Tensors.of(new float[] {21}, 1, 1), v.get(7));
        assertAllClose(Tensors.of(new float[] {3.5f}, 1, 1), v.get(8));
    }

    @Test
    void valuesOfARank3TensorOverListsOfAxes() {
        Tf tf = new Tf();
        Node x = tf.constant(iota234());
        List<Tensor> v = Eval.evalAll(tf, Map.of(), tf.reduceSum(x, new int[] {0, 2}, false),
                tf.reduceMean(x, new int[] {2, 0}, true), tf.reduceSum(x, new int[] {-1}, true),
                tf.reduceSum(x, new int[] {}, false), tf.reduceMean(x, new int[] {1}, false));
        assertAllClose(vec(60, 92, 124), v.get(0)); // sum_{i,k} 12i + 4j + k = 60 + 32j
        assertAllClose(Tensors.of(new float[] {7.5f, 11.5f, 15.5f}, 1, 3, 1), v.get(1));
        assertAllClose(Tensors.of(new float[] {6, 22, 38, 54, 70, 86}, 2, 3, 1), v.get(2));
        assertAllClose(iota234(), v.get(3));
        // mean over j of 12i + 4j + k = 12i + 4 + k
        assertAllClose(Tensors.of(new float[] {4, 5, 6, 7, 16, 17, 18, 19}, 2, 4), v.get(4));
    }

    static Stream<Arguments> gradientCases() {
        List<int[]> axes = Arrays.asList(null, new int[] {1}, new int[] {0, 2}, new int[] {-1}, new int[] {-3, -1},
                new int[] {2, 0}, new int[] {0, 1, 2}, new int[] {});
        List<Arguments> out = new ArrayList<>();
        for (boolean mean : new boolean[] {false, true}) {
            for (int[] a : axes) {
                for (boolean keep : new boolean[] {false, true}) {
                    out.add(Arguments.of(mean ? "reduce_mean" : "reduce_sum", a, keep));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} axes={1} keepdims={2}")
    @MethodSource("gradientCases")
    void gradientsMatchFiniteDifferences(String op, int[] axes, boolean keep) {
        boolean mean = op.equals("reduce_mean");
        long seed = (axes == null ? 99 : Arrays.hashCode(axes)) + (keep ? 1 : 0) + (mean ? 2 : 0);
        Tensor g = GradCheck.unary(seed, Tensors.random(seed, 2, 3, 4), (tf, x) -> reduce(tf, mean, x, axes, keep));
        assertEquals(Tf.shape(2, 3, 4), g.shape());
    }

    @Test
    void reduceMaxValuesTiesAndNaN() {
        Tf tf = new Tf();
        Node x = tf.constant(mat(new float[] {1, 5, 3}, new float[] {4, 2, 6}));
        assertAllClose(vec(5, 6), Eval.eval(tf, tf.reduceMax(x, new int[] {1}, false)));
        assertAllClose(mat(new float[] {4, 5, 6}), Eval.eval(tf, tf.reduceMax(x, new int[] {0}, true)));
        assertAllClose(Tensors.scalar(6f), Eval.eval(tf, tf.reduceMax(x, null, false)));
        assertEquals(Tf.shape(2, 1), tf.reduceMax(x, new int[] {-1}, true).shape());
        // dy goes to the maximum; shared equally between ties (TensorFlow's rule)
        Node t = tf.constant(vec(2, 7, 7, 1));
        assertAllClose(vec(0, 0.5f, 0.5f, 0), Eval.eval(tf, tf.gradients(tf.reduceMax(t, null, false), List.of(t)).get(0)));
        Node n = tf.constant(vec(1, Float.NaN, 3));
        assertTrue(Float.isNaN(Eval.eval(tf, tf.reduceMax(n, null, false)).data()[0]));
    }

    @ParameterizedTest
    @MethodSource("axesOfRank3")
    void reduceMaxGradientsAgainstFiniteDifferences(int[] axes) {
        // distinct values, far enough apart that a finite difference never changes which is the maximum
        float[] d = new float[24];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((i * 7) % 24) * 0.25f - 3f;
        }
        GradCheck.unary(11, new Tensor(Shape.of(2, 3, 4), d), (tf, x) -> tf.reduceMax(x, axes, false));
    }

    static Stream<int[]> axesOfRank3() {
        return Stream.of(new int[] {0}, new int[] {1}, new int[] {2}, new int[] {0, 2}, new int[] {0, 1, 2});
    }

    @Test
    void gradientsOnLiterals() {
        // d sum(x)/dx = 1; d mean(x)/dx = 1/6; d sum(reduce_sum(x, 1) * [1, 2]) / dx = rows of 1s and 2s
        Tf tf = new Tf();
        Node x = tf.variable("x", mat(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
        Node g1 = tf.gradients(tf.reduceSum(x), x).get(0);
        Node g2 = tf.gradients(tf.reduceMean(x), x).get(0);
        Node g3 = tf.gradients(tf.reduceSum(tf.mul(tf.reduceSum(x, new int[] {1}, false), tf.constant(vec(1, 2)))), x)
                .get(0);
        Node g4 = tf.gradients(tf.reduceSum(tf.mul(tf.reduceMean(x, new int[] {0}, true),
                tf.constant(Tensors.of(new float[] {2, 4, 6}, 1, 3)))), x).get(0);
        List<Tensor> v = Eval.evalAll(tf, Map.of(), g1, g2, g3, g4);
        assertAllClose(mat(new float[] {1, 1, 1}, new float[] {1, 1, 1}), v.get(0));
        float s = 1f / 6;
        assertAllClose(mat(new float[] {s, s, s}, new float[] {s, s, s}), v.get(1));
        assertAllClose(mat(new float[] {1, 1, 1}, new float[] {2, 2, 2}), v.get(2));
        assertAllClose(mat(new float[] {1, 2, 3}, new float[] {1, 2, 3}), v.get(3));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientOverANoneBatchAxisAfterBinding(boolean mean) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node w = tf.variable("w", vec(0.5f, -1f, 2f));
        Node perRow = reduce(tf, mean, tf.mul(tf.square(x), w), new int[] {-1}, false); // [None]
        Node loss = tf.name("loss", reduce(tf, mean, tf.tanh(perRow), null, false));
        List<Node> g = tf.gradients(loss, w, x);
        Graph bound = tf.build().bind(5);
        FiniteDifferences.of(bound, "loss").feed("x", Tensors.random(3, 5, 3)).wrt("w", g.get(0)).wrt("x", g.get(1))
                .verify();
    }
}
