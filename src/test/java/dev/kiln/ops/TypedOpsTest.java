package dev.kiln.ops;

import static dev.kiln.testing.KilnAssertions.assertKilnError;
import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static dev.kiln.testing.Tensors.assertAllClose;
import static dev.kiln.testing.Tensors.mat;
import static dev.kiln.testing.Tensors.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.dsl.Tf;
import dev.kiln.dsl.TfMath;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The ops of other types than float32: argmax, cast, the comparisons as booleans, and the sparse softmax
 * cross-entropy; each value on both engines, the dtypes they give, and the errors mixing types gives.
 */
class TypedOpsTest {
    private static final float NAN = Float.NaN;

    /** The value of {@code f(tf, x)} on each engine, x fed; both must agree bit for bit. */
    private static Tensor onBothEngines(Tensor x, DType dtype, BiFunction<Tf, Node, Node> f) {
        Tf tf = new Tf();
        Node in = tf.placeholder("x", dtype, x.shape());
        tf.name("out", f.apply(tf, in));
        Graph g = tf.build();
        Tensor first = null;
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("out"), List.of(), engine, new Options());
            Tensor got = s.run(Map.of("x", x)).get(0);
            if (first == null) {
                first = got;
            } else {
                assertArrayEquals(first.data(), got.data(), "the engines differ");
            }
        }
        return first;
    }

    @Test
    void argmaxTakesTheFirstLargestAndTheLineLengthForNaN() {
        Tensor x = mat(new float[] {1, 3, 3, 0}, new float[] {-1, -2, -0.5f, -3}, new float[] {NAN, 1, 2, 3},
                new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY});
        assertAllClose(vec(1, 2, 4, 0), onBothEngines(x, DType.FLOAT32, (tf, v) -> tf.math().argmax(v, 1)));
        assertAllClose(vec(4, 0, 0, 2), onBothEngines(x, DType.FLOAT32, (tf, v) -> tf.math().argmax(v, -2)));
        Tf tf = new Tf();
        Node p = tf.placeholder("p", Tf.shape(Tf.NONE, 10));
        assertEquals(DType.INT64, tf.math().argmax(p, 1).dtype());
        assertEquals(DType.INT32, tf.math().argmax(p, 1, DType.INT32).dtype());
        assertEquals(Tf.shape(Tf.NONE), tf.math().argmax(p, 1).shape());
        assertEquals(Tf.shape(10), tf.math().argmax(p, 0).shape());
        assertKilnErrorAt(() -> tf.math().argmax(p, 2), "argmax('p' f32[?,10]): axis 2 is out of range for a tensor of rank 2");
        assertKilnErrorAt(() -> tf.math().argmax(p, 1, DType.BOOL), "argmax: output_type must be int32 or int64, got bool");
    }

    @Test
    void castTruncatesTowardZeroAndMakesBooleansOfNonZeros() {
        Tensor x = vec(2.7f, -2.7f, 0.5f, -0f, 1e9f, NAN, 3f);
        assertAllClose(vec(2, -2, 0, 0, 1e9f, NAN, 3),
                onBothEngines(x, DType.FLOAT32, (tf, v) -> tf.math().cast(v, DType.INT32)));
        assertAllClose(vec(1, 1, 1, 0, 1, 1, 1), onBothEngines(x, DType.FLOAT32, (tf, v) -> tf.math().cast(v, DType.BOOL)));
        Tensor labels = vec(0, 3, 7);
        assertAllClose(vec(0, 1.5f, 3.5f), onBothEngines(labels, DType.INT64,
                (tf, v) -> tf.mul(tf.math().cast(v, DType.FLOAT32), 0.5f)));
    }

    @Test
    void comparisonsAreBooleansAndCountAsAccuracy() {
        Tensor labels = vec(0, 1, 2, 1);
        Tensor x = mat(new float[] {5, 1, 0}, new float[] {0, 1, 2}, new float[] {0, 0, 9}, new float[] {3, 2, 1});
        Tf tf = new Tf();
        TfMath m = tf.math();
        Node logits = tf.placeholder("logits", Tf.shape(Tf.NONE, 3));
        Node y = tf.placeholder("y", DType.INT64, Tf.shape(Tf.NONE));
        Node correct = m.equal(m.argmax(logits, 1), y);
        assertEquals(DType.BOOL, correct.dtype());
        tf.name("accuracy", tf.reduceMean(m.cast(correct, DType.FLOAT32)));
        tf.name("wrong", m.cast(m.notEqual(m.argmax(logits, 1), y), DType.INT32));
        Graph g = tf.build().bind(4);
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("accuracy", "wrong"), List.of(), engine, new Options());
            List<Tensor> out = s.run(Map.of("logits", x, "y", labels));
            assertEquals(0.5f, out.get(0).item(), engine.toString());
            assertAllClose(vec(0, 1, 0, 1), out.get(1));
        }
        Tensor less = onBothEngines(vec(1, 2, 3), DType.FLOAT32, (t, v) -> t.math().cast(t.math().less(v, t.constant(2f)),
                DType.FLOAT32));
        assertAllClose(vec(1, 0, 0), less);
    }

    @Test
    void sparseCrossEntropyIsTheDenseOneOfOneHotLabelsAndStableAtLargeLogits() {
        Tensor logits = mat(new float[] {1e4f, -1e4f, 0}, new float[] {0.5f, 1.5f, -1}, new float[] {-1e4f, -1e4f, 1e4f});
        Tensor dense = mat(new float[] {0, 1, 0}, new float[] {1, 0, 0}, new float[] {0, 0, 1});
        for (Engine engine : Engine.values()) {
            Tf tf = new Tf();
            Node z = tf.variable("z", logits);
            Node y = tf.placeholder("y", DType.INT32, Tf.shape(3));
            Node sparse = tf.name("sparse", tf.reduceSum(tf.nn().sparseSoftmaxCrossEntropyWithLogits(y, z)));
            Node full = tf.name("dense", tf.reduceSum(tf.nn().softmaxCrossEntropyWithLogits(tf.constant(dense), z)));
            tf.name("g_sparse", tf.gradients(sparse, z).get(0));
            tf.name("g_dense", tf.gradients(full, z).get(0));
            Graph g = tf.build();
            Session s = Kiln.session(g, List.of("sparse", "dense", "g_sparse", "g_dense"), List.of(), engine, new Options());
            List<Tensor> out = s.run(Map.of("y", vec(1, 0, 2)));
            assertEquals(out.get(1).item(), out.get(0).item(), 1e-3f * out.get(1).item(), engine + ": the losses");
            assertTrue(Float.isFinite(out.get(0).item()), engine + ": finite at ±1e4");
            assertAllClose(out.get(3), out.get(2));
        }
    }

    @Test
    void aLabelOutOfRangeGivesNaNOnBothEngines() {
        Tensor logits = mat(new float[] {1, 2, 3}, new float[] {0, 0, 0});
        for (float bad : new float[] {3, -1}) {
            Tf tf = new Tf();
            Node z = tf.constant(logits);
            Node y = tf.placeholder("y", DType.INT64, Tf.shape(2));
            tf.name("loss", tf.nn().sparseSoftmaxCrossEntropyWithLogits(y, z));
            Graph g = tf.build();
            for (Engine engine : Engine.values()) {
                Session s = Kiln.session(g, List.of("loss"), List.of(), engine, new Options());
                float[] got = s.run(Map.of("y", vec(0, bad))).get(0).data();
                assertTrue(Float.isFinite(got[0]) && Float.isNaN(got[1]), engine + ", label " + bad + ": " + got[0] + ", " + got[1]);
            }
        }
    }

    @Test
    void sparseCrossEntropyGradientAgainstFiniteDifferences() {
        float[] rows = {3, 0, 4, 1};
        for (float scale : new float[] {2f, 300f}) {
            Map<String, Tensor> values = new LinkedHashMap<>();
            values.put("logits", Tensors.scaled(Tensors.uniform(11, -1f, 1f, 4, 5), scale));
            GradCheck.weighted(12, values, (tf, v) -> tf.nn().sparseSoftmaxCrossEntropyWithLogits(
                    tf.math().cast(tf.constant(vec(rows)), DType.INT32), v.get(0)));
        }
    }

    @Test
    void mixingTypesIsAnErrorNamingBothOperands() {
        Tf tf = new Tf();
        Node y = tf.placeholder("y", DType.INT64, Tf.shape(Tf.NONE));
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 3));
        Node b = tf.math().equal(tf.reduceSum(x, new int[] {1}, false), tf.reduceSum(x, new int[] {1}, false));
        assertKilnErrorAt(() -> tf.add(y, tf.constant(1f)), "add('y' i64[?], fill %", "f32[]): operands must be float32, got int64");
        assertKilnErrorAt(() -> tf.math().equal(y, tf.reduceSum(x, new int[] {1}, false)),
                "cannot compare int64 with float32 (cast one of them with tf.cast first)");
        assertKilnErrorAt(() -> tf.reduceMean(b), "reduce_mean(", "bool[?]): operands must be float32, got bool");
        assertKilnErrorAt(() -> tf.nn().sparseSoftmaxCrossEntropyWithLogits(x, x), "labels must be int32 or int64");
        assertKilnErrorAt(() -> tf.nn().sparseSoftmaxCrossEntropyWithLogits(tf.placeholder("l", DType.INT32, Tf.shape(4)),
                tf.placeholder("z", Tf.shape(5, 3))), "labels must have the shape of logits without its last dimension, got"
                + " labels [4] and logits [5,3]");
        assertEquals(DType.BOOL, tf.math().equal(y, tf.constant(3f)).dtype(), "a constant compares with any type");
    }

    @Test
    void integerFeedsMustHoldIntegers() {
        Tf tf = new Tf();
        Node y = tf.placeholder("y", DType.INT32, Tf.shape(3));
        tf.name("out", tf.math().cast(y, DType.FLOAT32));
        Graph g = tf.build();
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("out"), List.of(), engine, new Options());
            assertKilnError(() -> s.run(Map.of("y", vec(1, 2.5f, 3))), "feed 'y' (int32): element 1, 2.5, is not an integer");
            assertKilnError(() -> s.run(Map.of("y", vec(1, 3e7f, 3))), "feed 'y' (int32): element 1, 3.0E7, is beyond ±2^24");
            assertAllClose(vec(1, -2, 3), s.run(Map.of("y", vec(1, -2, 3))).get(0));
        }
        Tf t2 = new Tf();
        Node flag = t2.placeholder("flag", DType.BOOL, Tf.shape(2));
        t2.name("out", t2.math().cast(flag, DType.FLOAT32));
        Graph g2 = t2.build();
        Session s = Kiln.session(g2, List.of("out"), List.of(), Engine.INTERPRETER, new Options());
        assertKilnError(() -> s.run(Map.of("flag", vec(1, 2))), "feed 'flag' (bool): element 1, 2.0, is not a boolean (0 or 1)");
        assertEquals(Shape.of(2), g2.node("flag").shape());
    }
}
