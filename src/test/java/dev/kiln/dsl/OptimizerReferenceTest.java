package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.io.Npy;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, on every engine, follows TensorFlow 1's update rules as {@code scripts/reference/optimizers.py}
 * writes them out in NumPy float32: 200 steps of two small graphs (a ReLU network with a squared loss, a softmax
 * regression with cross-entropy), from the same feeds and initial weights. Each step's loss and the final
 * weights must agree tightly: far inside the seed program's tolerance, as well-conditioned problems do.
 */
class OptimizerReferenceTest {
    private static final Path DIR = Path.of("src/test/resources/optimizers");
    private static final int STEPS = 200;

    private static final Map<String, String> OPTIMIZERS = Map.of(
            "sgd", "tf.train.GradientDescentOptimizer(0.05)",
            "momentum", "tf.train.MomentumOptimizer(0.05, 0.9)",
            "nesterov", "tf.train.MomentumOptimizer(learning_rate=0.05, momentum=0.9, use_nesterov=True)",
            "adam", "tf.train.AdamOptimizer(0.01)",
            "rmsprop", "tf.train.RMSPropOptimizer(0.001)",
            "rmsprop_centered", "tf.train.RMSPropOptimizer(0.003, decay=0.8, momentum=0.5, epsilon=1e-4, centered=True)");

    private static final Map<String, String> GRAPHS = Map.of(
            "mlp", """
                    import tensorflow as tf
                    x = tf.placeholder(tf.float32, shape=(None, 6))
                    y = tf.placeholder(tf.float32, shape=(None, 3))
                    w1 = tf.Variable(tf.zeros((6, 5)))
                    w2 = tf.Variable(tf.zeros((5, 3)))
                    loss = tf.reduce_mean((y - tf.matmul(tf.nn.relu(tf.matmul(x, w1)), w2)) ** 2)
                    """,
            "softmax", """
                    import tensorflow as tf
                    x = tf.placeholder(tf.float32, shape=(None, 6))
                    y = tf.placeholder(tf.float32, shape=(None, 4))
                    w = tf.Variable(tf.zeros((6, 4)))
                    b = tf.Variable(tf.zeros(4))
                    logits = tf.matmul(x, w) + b
                    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
                    """);

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String graph : List.of("mlp", "softmax")) {
            for (String opt : List.of("sgd", "momentum", "nesterov", "adam", "rmsprop", "rmsprop_centered")) {
                for (Engine engine : Engine.values()) {
                    cases.add(Arguments.of(graph, opt, engine));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void followsTensorFlowsUpdateRules(String graph, String optimizer, Engine engine) {
        String text = GRAPHS.get(graph) + "train_op = " + OPTIMIZERS.get(optimizer) + ".minimize(loss)\n";
        Graph g = Script.parse(text, graph + "_" + optimizer + ".kiln").bind(8);
        Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), engine, new Options());
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (String feed : List.of("x", "y")) {
            feeds.put(feed, read(graph + "_" + feed));
        }
        List<String> weights = graph.equals("mlp") ? List.of("w1", "w2") : List.of("w", "b");
        for (String w : weights) {
            s.setVariable(w, read(graph + "_" + w));
        }
        float[] expected = read(graph + "_" + optimizer + "_loss").data();
        for (int t = 0; t < STEPS; t++) {
            float loss = s.run(feeds).get(0).item();
            float ref = expected[t];
            assertTrue(Math.abs(loss - ref) <= 2e-6 * Math.abs(ref) + 1e-7,
                    "step " + t + ": loss " + loss + ", NumPy " + ref);
        }
        for (String w : weights) {
            float[] got = s.variable(w).data();
            float[] ref = read(graph + "_" + optimizer + "_" + w).data();
            double scale = 0;
            for (float r : ref) {
                scale = Math.max(scale, Math.abs(r));
            }
            for (int i = 0; i < ref.length; i++) {
                assertTrue(Math.abs(got[i] - ref[i]) <= 1e-5 * scale, w + "[" + i + "]: " + got[i] + ", NumPy " + ref[i]);
            }
        }
    }

    private static Tensor read(String name) {
        return Npy.read(DIR.resolve(name + ".npy"));
    }
}
