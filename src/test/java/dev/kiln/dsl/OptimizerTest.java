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
        assertKilnErrorAt(() -> tf.train().gradientDescent(0f), "GradientDescentOptimizer: 'learning_rate' must be a"
                + " positive number, got 0.0");
        assertKilnErrorAt(() -> tf.train().gradientDescent(0.1f).minimize(tf.reduceSum(tf.constant(Tensors.vec(1, 2)))),
                "depends on no variable, so there is nothing to train");
    }

    /** The Java twins build the graph the script builds: the same slots, the same losses, bit for bit. */
    @Test
    void javaOptimizersBuildWhatScriptsBuild() {
        String[][] cases = {
            {"tf.train.AdamOptimizer(0.01)", "adam"},
            {"tf.train.MomentumOptimizer(0.01, 0.9, use_nesterov=True)", "nesterov"},
            {"tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True)", "rmsprop"},
        };
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(4, 1000), Tensors.gaussian(4 * 1000, 1)),
                "y", new Tensor(Shape.of(4, 10), Tensors.gaussian(4 * 10, 2)));
        for (String[] c : cases) {
            Graph script = Script.parse(GRAPH + "train_op = " + c[0] + ".minimize(loss)\n", "opt.kiln").bind(4);
            Tf tf = new Tf();
            Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 1000));
            Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 10));
            Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(1000, 100)));
            Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(100, 10)));
            Node pred = tf.matmul(tf.maximum(tf.matmul(x, w1), tf.zeros(Tf.shape(1))), w2);
            Node loss = tf.name("loss", tf.reduceSum(tf.pow(tf.sub(y, pred), 2f)));
            Optimizer opt = switch (c[1]) {
                case "adam" -> tf.train().adam(0.01f);
                case "nesterov" -> tf.train().momentum(0.01f, 0.9f, true);
                default -> tf.train().rmsProp(0.01f, 0.9f, 0.5f, 1e-10f, true);
            };
            opt.minimize(loss);
            Graph java = tf.build().bind(4);
            assertEquals(script.variables().stream().map(Node::name).toList(),
                    java.variables().stream().map(Node::name).toList(), c[0]);
            Session a = Kiln.session(script, List.of("loss"), script.sideEffects(), Engine.INTERPRETER, new Options());
            Session b = Kiln.session(java, List.of("loss"), java.sideEffects(), Engine.INTERPRETER, new Options());
            for (int step = 0; step < 3; step++) {
                assertEquals(a.run(feeds).get(0).item(), b.run(feeds).get(0).item(), c[0] + ", step " + step);
            }
        }
    }

    @Test
    void slotsAreNamedAsTensorFlowNamesThemAndAreNotTrained() {
        Graph g = Script.parse(GRAPH + """
                step = tf.Variable(0.0, trainable=False)
                loss2 = loss + step
                opt = tf.train.AdamOptimizer()
                train_op = opt.minimize(loss2)
                again = tf.train.AdamOptimizer(name='Second').minimize(loss2)
                """, "slots.kiln");
        assertEquals(List.of("w1", "w2", "step", "beta1_power", "beta2_power", "w1/Adam", "w1/Adam_1", "w2/Adam",
                "w2/Adam_1", "beta1_power_1", "beta2_power_1", "w1/Second", "w1/Second_1", "w2/Second", "w2/Second_1"),
                g.variables().stream().map(Node::name).toList());
        assertEquals(2 * (2 * 3 + 2), g.sideEffects().size(), "w, m and v per variable, two powers, per optimizer");
    }

    @Test
    void computeAndApplyGradientsMakeWhatMinimizeMakes() {
        Graph split = Script.parse(GRAPH + """
                opt = tf.train.MomentumOptimizer(1e-6, 0.9)
                grads_and_vars = opt.compute_gradients(loss, var_list=[w1, w2])
                train_op = opt.apply_gradients(grads_and_vars)
                """, "split.kiln").bind(4);
        Graph whole = Script.parse(GRAPH + "train_op = tf.train.MomentumOptimizer(1e-6, 0.9).minimize(loss)\n",
                "whole.kiln").bind(4);
        assertEquals(whole.variables().stream().map(Node::name).toList(), split.variables().stream().map(Node::name).toList());
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(4, 1000), Tensors.gaussian(4 * 1000, 1)),
                "y", new Tensor(Shape.of(4, 10), Tensors.gaussian(4 * 10, 2)));
        Session a = Kiln.session(whole, List.of("loss"), whole.sideEffects(), Engine.COMPILED, new Options());
        Session b = Kiln.session(split, List.of("loss"), split.sideEffects(), Engine.COMPILED, new Options());
        for (int step = 0; step < 3; step++) {
            assertEquals(a.run(feeds).get(0).item(), b.run(feeds).get(0).item(), "step " + step);
        }
        assertArrayEquals(a.variable("w1/Momentum").data(), b.variable("w1/Momentum").data());
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        Tf tf = new Tf();
        assertKilnErrorAt(() -> tf.train().adam(0.1f, 1f, 0.999f, 1e-8f), "AdamOptimizer: 'beta1' must be a number in [0.0, 1.0),"
                + " got 1.0");
        assertKilnErrorAt(() -> tf.train().momentum(0.1f, -1f), "MomentumOptimizer: 'momentum' must be a number at least"
                + " 0.0, got -1.0");
        assertKilnErrorAt(() -> tf.train().rmsProp(Float.NaN), "RMSPropOptimizer: 'learning_rate' must be a positive"
                + " number, got NaN");
        Node w = tf.variable("w", Tensors.vec(1, 2));
        Node loss = tf.reduceSum(tf.mul(w, w));
        assertKilnErrorAt(() -> tf.train().adam(0.1f).applyGradients(List.of(
                new Optimizer.GradientAndVariable(tf.constant(Tensors.vec(1, 2, 3)), w))),
                "apply_gradients: the gradient for variable 'w' has shape [3], the variable [2]");
        assertKilnErrorAt(() -> tf.train().adam(0.1f).applyGradients(List.of(
                new Optimizer.GradientAndVariable(loss, loss))), "apply_gradients: can only apply a gradient to a variable");
    }

    /** {@code minimize(loss, global_step=step)} adds one to the step each run, on both engines and in Java. */
    @Test
    void theGlobalStepCountsRuns() {
        Graph g = Script.parse("""
                import tensorflow as tf
                w = tf.Variable([1.0, -2.0])
                global_step = tf.Variable(0, name='global_step', trainable=False)
                loss = tf.reduce_sum(w * w)
                train_op = tf.train.MomentumOptimizer(0.1, 0.5).minimize(loss, global_step=global_step)
                """, "step.kiln");
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), engine, new Options());
            for (int t = 0; t < 5; t++) {
                s.run(Map.of());
            }
            assertEquals(5f, s.variable("global_step").item(), engine.toString());
        }
        Tf tf = new Tf();
        Node w = tf.variable("w", Tensors.vec(1, 2));
        Node step = tf.train().notTrainable(tf.variable("step", tf.constant(0f)));
        List<Node> assigns = tf.train().adam(0.1f).minimize(tf.reduceSum(tf.mul(w, w)), null, step);
        assertEquals(step, assigns.get(assigns.size() - 1).input(0));
        assertKilnErrorAt(() -> tf.train().adam(0.1f).minimize(tf.reduceSum(tf.mul(w, w)), null, w),
                "global_step must be a scalar variable, got 'w' f32[2]");
    }
}
