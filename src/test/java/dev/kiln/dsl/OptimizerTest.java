package dev.kiln.dsl;

import static dev.kiln.testing.KilnAssertions.assertKilnErrorAt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tf.train.GradientDescentOptimizer(lr).minimize(loss)} builds what the canonical program writes by
 * hand, {@code w.assign(w - lr * grad)} for every variable, so both train to the same bits.
 */
class OptimizerTest {
    private static final String GRAPH = """
            import tensorflow as tf
            x = tf.placeholder(tf.float32, shape=(None, 1000))
            y = tf.placeholder(tf.float32, shape=(None, 10))
            w1 = tf.Variable(tf.random_normal((1000, 100)))
            w2 = tf.Variable(tf.random_normal((100, 10)))
            y_pred = tf.matmul(tf.maximum(tf.matmul(x, w1), tf.zeros(1)), w2)
            loss = tf.reduce_sum((y - y_pred) ** 2.0)
            """;

    @Test
    void gradientDescentTrainsExactlyAsTheHandWrittenAssignsDo() throws IOException {
        Graph byHand = Script.parse(Files.readString(Path.of("examples/two_layer.kiln")), "two_layer.kiln").bind(64);
        Graph byOptimizer = Script.parse(GRAPH + "train_op = tf.train.GradientDescentOptimizer(1e-6).minimize(loss)\n",
                "gd.kiln").bind(64);
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(64, 1000), Tensors.gaussian(64 * 1000, 1)),
                "y", new Tensor(Shape.of(64, 10), Tensors.gaussian(64 * 10, 2)));
        for (Engine engine : Engine.values()) {
            Session a = Kiln.session(byHand, List.of("loss"), byHand.sideEffects(), engine, new Options().seed(3));
            Session b = Kiln.session(byOptimizer, List.of("loss"), byOptimizer.sideEffects(), engine, new Options().seed(3));
            for (int step = 0; step < 5; step++) {
                assertEquals(a.run(feeds).get(0).item(), b.run(feeds).get(0).item(), engine + ", step " + step);
            }
            assertArrayEquals(a.variable("w1").data(), b.variable("w1").data(), engine + ": w1");
        }
    }

    @Test
    void theJavaDslMinimizesOverTheVariablesTheLossReadsOrThoseGiven() {
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.vec(1, 2));
        Node v = tf.variable("v", Tensors.vec(3));
        Node unused = tf.variable("unused", Tensors.vec(5));
        Node loss = tf.reduceSum(tf.mul(tf.mul(w, w), v));
        List<Node> all = tf.train().gradientDescent(0.1f).minimize(loss);
        assertEquals(List.of(w, v), all.stream().map(a -> a.input(0)).toList());
        List<Node> some = tf.train().gradientDescent(0.1f).minimize(loss, List.of(v));
        assertEquals(List.of(v), some.stream().map(a -> a.input(0)).toList());
        assertEquals("variable", unused.op().name());
        assertKilnErrorAt(() -> tf.train().gradientDescent(0f), "GradientDescentOptimizer: the learning rate must be a"
                + " positive number, got 0.0");
        assertKilnErrorAt(() -> tf.train().gradientDescent(0.1f).minimize(tf.reduceSum(tf.constant(Tensors.vec(1, 2)))),
                "depends on no variable, so there is nothing to train");
    }
}
