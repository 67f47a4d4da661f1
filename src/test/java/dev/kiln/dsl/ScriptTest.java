package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import dev.kiln.ops.Fill;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptTest {
    static final Path EXAMPLES = Path.of("examples");

    static Graph parse(String source) {
        return Script.parse(source, "test.kiln");
    }

    static Shape shape(int... dims) {
        return Shape.of(dims);
    }

    static long count(Graph g, String op) {
        return g.nodes().stream().filter(n -> n.op().name().equals(op)).count();
    }

    // ---- the examples

    @Test
    void twoLayerExample() {
        Graph g = Script.parse(EXAMPLES.resolve("two_layer.kiln"));
        assertEquals("two_layer.kiln", g.sourceFile());
        List<Node> ph = g.placeholders();
        assertEquals(List.of("x", "y"), ph.stream().map(Node::name).toList());
        assertEquals(shape(Tf.NONE, 1000), g.node("x").shape());
        assertEquals(shape(Tf.NONE, 10), g.node("y").shape());
        assertEquals(List.of("w1", "w2"), g.variables().stream().map(Node::name).toList());
        assertEquals(shape(1000, 100), g.node("w1").shape());
        assertEquals(shape(100, 10), g.node("w2").shape());
        assertEquals("random_normal", g.initializer(g.node("w1")).op().name());
        assertEquals(2, g.sideEffects().size());
        assertTrue(g.sideEffects().stream().allMatch(n -> n.op().name().equals("assign")));
        assertSame(g.node("w1"), g.node("new_w1").input(0));
        assertSame(g.node("w2"), g.node("new_w2").input(0));
        assertEquals("matmul", g.node("h").op().name());
        assertEquals(shape(Tf.NONE, 100), g.node("h").shape());
        assertEquals("maximum", g.node("h_relu").op().name());
        assertEquals(shape(Tf.NONE, 10), g.node("y_pred").shape());
        assertEquals("reduce_sum", g.node("loss").op().name());
        assertEquals(Shape.SCALAR, g.node("loss").shape());
        assertEquals(shape(1000, 100), g.node("grad_w1").shape());
        assertEquals(shape(100, 10), g.node("grad_w2").shape());
        // plain numbers stay out of the graph
        assertEquals(null, g.node("learning_rate"));
        assertEquals(null, g.node("D_in"));
    }

    @Test
    void nodesAreAttributedToTheirCallOrOperator() {
        Graph g = Script.parse(EXAMPLES.resolve("two_layer.kiln"));
        assertEquals(new SourcePos("two_layer.kiln", 13, 5), g.node("h").pos());
        assertEquals(new SourcePos("two_layer.kiln", 7, 5), g.node("x").pos());
        String line16 = "loss = tf.reduce_sum((y - y_pred) ** 2.0)";
        Node pow = g.node("loss").input(0);
        assertEquals("pow", pow.op().name());
        assertEquals(new SourcePos("two_layer.kiln", 16, line16.indexOf("**") + 1), pow.pos());
        assertEquals(new SourcePos("two_layer.kiln", 16, line16.indexOf("-") + 1), pow.input(0).pos());
        Node zeros = g.node("h_relu").input(1);
        String line14 = "h_relu = tf.maximum(h, tf.zeros(1))";
        assertEquals(new SourcePos("two_layer.kiln", 14, line14.indexOf("tf.zeros") + 1), zeros.pos());
        assertEquals(shape(1), zeros.shape());
        // gradient nodes belong to the tf.gradients call
        assertEquals(new SourcePos("two_layer.kiln", 18, 20), g.node("grad_w1").pos());
    }

    @ParameterizedTest
    @CsvSource({
        "mlp_bias_tanh.kiln, 6, 6",
        "softmax_classifier.kiln, 2, 2",
        "logistic_regression.kiln, 2, 2",
    })
    void otherExamples(String file, int variables, int assigns) {
        Graph g = Script.parse(EXAMPLES.resolve(file));
        assertEquals(2, g.placeholders().size());
        assertEquals(variables, g.variables().size());
        assertEquals(assigns, g.sideEffects().size());
        assertNotNull(g.node("loss"));
        assertEquals(Shape.SCALAR, g.node("loss").shape());
        for (Node v : g.variables()) {
            Node grad = g.node("grad_" + v.name());
            assertNotNull(grad, "grad_" + v.name());
            assertEquals(v.shape(), grad.shape());
        }
    }

    @Test
    void softmaxExampleShapes() {
        Graph g = Script.parse(EXAMPLES.resolve("softmax_classifier.kiln"));
        assertEquals(shape(Tf.NONE, 5), g.node("logits").shape());
        assertEquals("add", g.node("logits").op().name());
        assertEquals("matmul", g.node("logits").input(0).op().name());
        assertEquals(shape(Tf.NONE, 5), g.node("probs").shape());
        assertEquals(shape(Tf.NONE, 1), g.node("probs").input(1).shape());
        assertEquals(shape(Tf.NONE), g.node("cross_entropy").shape());
        assertEquals("neg", g.node("cross_entropy").op().name());
        assertEquals("reduce_mean", g.node("loss").op().name());
    }

    // ---- numbers, precedence and associativity

    /** The value of a numeric expression, read back from the constant the script makes of it. */
    static float number(String expr) {
        Graph g = parse("c = tf.constant(" + expr + ")\n");
        Node c = g.node("c");
        assertInstanceOf(Fill.class, c.op(), expr);
        return ((Fill) c.op()).value();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-2 ** 2 | -4",
        "2 ** 3 ** 2 | 512",
        "(2 ** 3) ** 2 | 64",
        "1 - 2 - 3 | -4",
        "2 * 3 + 4 | 10",
        "2 + 3 * 4 | 14",
        "8 / 2 / 2 | 2",
        "2 ** -1 | 0.5",
        "-(2) ** 2 | -4",
        "(-2) ** 2 | 4",
        "- -3 | 3",
        "+-+3 | -3",
        "2 * -3 | -6",
        "2 ** 2 * 3 | 12",
        "-2 ** -2 | -0.25",
        "7 // 2 | 3",
        "-7 // 2 | -4",
        "7 % -3 | -2",
        "1e-6 * 2 | 2e-6",
        ".5 + 1. | 1.5",
        "1_000 + 2.5e1 | 1025",
        "10 - 2 * 3 ** 2 / 6 | 7",
    })
    void numericPrecedence(String expr, float expected) {
        assertEquals(expected, number(expr), 1e-12f, expr);
    }

    @Test
    void numbersFromTuplesAreIntsForShapes() {
        Graph g = parse("N, D_in = 64, 1000\nD2 = D_in // 2 + N * 0\nx = tf.placeholder(tf.float32, shape=(None, D2))\n");
        assertEquals(shape(Tf.NONE, 500), g.node("x").shape());
        assertEquals(null, g.node("N"));
    }

    @Test
    void aLongChainIsEvaluatedWithoutDeepRecursion() {
        String sum = "1" + " + 1".repeat(50_000);
        assertEquals(50_001f, number(sum));
    }

    // ---- tensors and operators

    @Test
    void operatorsOnTensorsBuildNodes() {
        Graph g = parse("""
                x = tf.placeholder(tf.float32, shape=(None, 3))
                w = tf.Variable(tf.ones((3, 2)))
                a = x * 2
                b = 1 - x
                c = -x
                d = x ** 2
                e = x @ w
                f = +x
                """);
        assertEquals("mul", g.node("a").op().name());
        assertEquals(Shape.SCALAR, g.node("a").input(1).shape());
        assertEquals("sub", g.node("b").op().name());
        assertEquals("fill", g.node("b").input(0).op().name());
        assertEquals("neg", g.node("c").op().name());
        assertEquals("pow", g.node("d").op().name());
        assertEquals("exponent=2.0", g.node("d").op().attributes());
        assertEquals(shape(Tf.NONE, 2), g.node("e").shape());
        assertSame(g.node("x"), g.node("f"));
    }

    @Test
    void functionsAndTheirSpellings() {
        Graph g = parse("""
                import tensorflow.compat.v1 as tf
                import numpy as np
                tf.disable_v2_behavior()
                tf.compat.v1.disable_eager_execution()
                x = placeholder(float32, (None, 4), name='input')
                y = tf.compat.v1.placeholder(np.float32, shape=[None, 4])
                r = tf.nn.relu(x)
                s = tf.math.sigmoid(x) + tf.nn.sigmoid(y) + tf.tanh(x) + tf.math.exp(y) + tf.log(x) + tf.math.sqrt(y) + tf.abs(x)
                bb = tf.nn.bias_add(x, tf.ones(4)) + tf.nn.l2_loss(y)
                m = tf.reduce_mean(tf.square(x - y), axis=[0, 1], keep_dims=False)
                k = tf.math.reduce_sum(x, 1, keepdims=True)
                km = tf.reduce_max(x, axis=1) + tf.math.reduce_max(y, 1)
                sm = tf.nn.softmax(x) + tf.nn.log_softmax(y, axis=-1)
                ce = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.nn.softmax(y), logits=x)
                ce1 = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)
                sce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x)
                n = tf.random.normal((4, 4), mean=1.0, stddev=0.5, seed=3)
                ru = tf.random_uniform((4, 4), minval=-1, maxval=1) + tf.truncated_normal([4, 4], stddev=0.1, seed=5)
                t = tf.transpose(x)
                u = tf.reshape(n, [2, -1])
                c = tf.constant([[1, 2], [3, 4.5]])
                v = tf.Variable([[1.0, 2.0]], name='vee')
                p = tf.pow(x, 3)
                q = tf.maximum(tf.minimum(x, 1.0), tf.negative(y))
                z = tf.add(tf.subtract(x, y), tf.divide(tf.multiply(x, 2.0), 3.0))
                mm = tf.matmul(x, n, transpose_b=True)
                g, = tf.gradients(tf.reduce_sum(mm), x)
                a = tf.assign(v, v * 2.0)
                opt = tf.train.GradientDescentOptimizer(learning_rate=0.5)
                q = tf.Variable([1.0, 2.0], name='q')
                step = opt.minimize(tf.reduce_sum(q * q), var_list=[q])
                """);
        assertEquals("input", g.node("x").name());
        assertSame(g.node("x"), g.node("input"));
        assertEquals("y", g.node("y").name());
        assertEquals("Placeholder", parse("tf.placeholder(tf.float32, (1,))\n").placeholders().get(0).name());
        assertEquals(shape(Tf.NONE, 1), g.node("k").shape());
        assertEquals(shape(Tf.NONE), g.node("km").shape());
        assertEquals(shape(Tf.NONE, 4), g.node("sm").shape());
        assertEquals(shape(Tf.NONE), g.node("ce").shape());
        assertEquals("softmax_cross_entropy", g.node("ce1").op().name());
        assertEquals(shape(Tf.NONE, 4), g.node("sce").shape());
        assertEquals(Shape.SCALAR, g.node("m").shape());
        assertEquals(shape(4, Tf.NONE), g.node("t").shape());
        assertEquals(shape(2, 8), g.node("u").shape());
        assertEquals(shape(2, 2), g.node("c").shape());
        assertEquals("vee", g.node("v").name());
        assertEquals(shape(1, 2), g.node("v").shape());
        assertEquals(shape(Tf.NONE, 4), g.node("g").shape());
        assertEquals("assign", g.node("a").op().name());
        assertEquals(2, g.sideEffects().size()); // tf.assign's, and the optimizer's to q

        assertEquals(1, count(g, "random_normal"));
        assertEquals(1, count(g, "random_uniform"));
        assertEquals(1, count(g, "truncated_normal"));
        assertEquals(1, count(g, "sqrt"));
        assertEquals(1, count(g, "abs"));
        assertEquals(shape(Tf.NONE, 4), g.node("bb").shape());
        assertTrue(g.node("n").op().attributes().contains("seed=3"), g.node("n").op().attributes());
    }

    @Test
    void typedFunctionsAndTheirSpellings() {
        Graph g = parse("""
                import tensorflow as tf
                import numpy as np
                logits = tf.placeholder(tf.float32, shape=(None, 10))
                y = tf.placeholder(tf.int64, shape=(None,))
                y32 = tf.placeholder('int32', shape=(None,))
                a = tf.argmax(logits, 1)
                a0 = tf.argmax(logits)
                a32 = tf.math.argmax(logits, axis=-1, output_type=tf.int32)
                ad = tf.argmax(logits, dimension=1)
                correct = tf.equal(a, y)
                ne = tf.math.not_equal(a32, y32)
                acc = tf.reduce_mean(tf.cast(correct, tf.float32))
                f = tf.dtypes.cast(ne, np.float32)
                lt = tf.less(logits, 0.5)
                ge = tf.math.greater_equal(logits, 0.5)
                sce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
                """);
        assertEquals(DType.INT64, g.node("a").dtype());
        assertEquals(shape(Tf.NONE), g.node("a").shape());
        assertEquals(shape(10), g.node("a0").shape());
        assertEquals(DType.INT32, g.node("a32").dtype());
        assertEquals("axis=1", g.node("ad").op().attributes());
        assertEquals(DType.BOOL, g.node("correct").dtype());
        assertEquals(DType.BOOL, g.node("ne").dtype());
        assertEquals(DType.FLOAT32, g.node("acc").dtype());
        assertEquals(DType.FLOAT32, g.node("f").dtype());
        assertEquals(DType.BOOL, g.node("lt").dtype());
        assertEquals(DType.BOOL, g.node("ge").dtype());
        assertEquals(shape(Tf.NONE), g.node("sce").shape());
        assertEquals(DType.INT32, g.node("y32").dtype());
    }

    @Test
    void unpackingATupleNamesEachPlaceholder() {
        Graph g = parse("x, y = tf.placeholder(tf.float32, (None, 2)), tf.placeholder(tf.float32, (None, 1))\n"
                + "(a, b) = [x, y]\nfirst = [a, b][0]\n");
        assertEquals("x", g.node("x").name());
        assertEquals("y", g.node("y").name());
        assertSame(g.node("x"), g.node("a"));
        assertSame(g.node("x"), g.node("first"));
    }

    @Test
    void aNameReferringToAPlaceholderCanBeRebound() {
        Graph g = parse("""
                x = tf.placeholder(tf.float32, shape=(None, 3))
                h = x
                h = tf.tanh(h)
                h = tf.tanh(h)
                """);
        assertEquals("x", g.placeholders().get(0).name());
        assertSame(g.node("x"), g.placeholders().get(0));
        assertEquals("tanh", g.node("h").op().name());
        assertSame(g.node("x"), g.node("h").input(0).input(0));
        ScriptException e = assertThrows(ScriptException.class,
                () -> parse("x = tf.placeholder(tf.float32, shape=(3,))\nh = x\nh = tf.Variable(tf.zeros(3))\n"));
        assertEquals("test.kiln:3:1: 'h' already refers to the placeholder 'x' defined at test.kiln:1", e.getMessage());
    }

    @Test
    void multiLineBracketedExpressions() {
        Graph g = parse("""
                import tensorflow as tf   # comment

                x = tf.placeholder(
                    tf.float32,      # the dtype
                    shape=(None,
                           3),
                )
                w = tf.Variable(tf.random_normal([
                    3,
                    2
                ]))
                h = tf.matmul(x,
                              w) + \\
                    1.0
                """);
        assertEquals(shape(Tf.NONE, 3), g.node("x").shape());
        assertEquals(shape(3, 2), g.node("w").shape());
        assertEquals("add", g.node("h").op().name());
        assertEquals(new SourcePos("test.kiln", 12, 5), g.node("h").input(0).pos());
        assertEquals(new SourcePos("test.kiln", 13, "              w) + ".indexOf('+') + 1), g.node("h").pos());
    }

    @Test
    void theJavaBuilderAndTheScriptBuildTheSameGraph() {
        Graph script = Script.parse(EXAMPLES.resolve("two_layer.kiln"));

        Tf tf = new Tf("two_layer.kiln");
        int dIn = 1000;
        int h = 100;
        int dOut = 10;
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, dIn));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, dOut));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(dIn, h)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(h, dOut)));
        Node hh = tf.name("h", tf.matmul(x, w1));
        Node hRelu = tf.name("h_relu", tf.maximum(hh, tf.zeros(Tf.shape(1))));
        Node yPred = tf.name("y_pred", tf.matmul(hRelu, w2));
        Node loss = tf.name("loss", tf.reduceSum(tf.pow(tf.sub(y, yPred), 2f)));
        List<Node> grads = tf.gradients(loss, w1, w2);
        Node gw1 = tf.name("grad_w1", grads.get(0));
        Node gw2 = tf.name("grad_w2", grads.get(1));
        float learningRate = 1e-6f;
        tf.name("new_w1", tf.assign(w1, tf.sub(w1, tf.mul(learningRate, gw1))));
        tf.name("new_w2", tf.assign(w2, tf.sub(w2, tf.mul(learningRate, gw2))));
        Graph java = tf.build();

        assertEquals(withoutComments(java), withoutComments(script));
        assertEquals(ids(java.names()), ids(script.names()));
    }

    static String withoutComments(Graph g) {
        return g.toString().lines().map(l -> l.replaceAll("\\s+#.*$", "")).collect(Collectors.joining("\n"));
    }

    static Map<String, Integer> ids(Map<String, Node> names) {
        return names.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().id()));
    }

    // ---- errors

    @Test
    void errorsHaveOneLineMessagesAndAThreeLineForm() {
        ScriptException e = assertThrows(ScriptException.class, () -> parse(
                "x = tf.placeholder(tf.float32, shape=(None, 3))\n\tw = tf.Variable(tf.zeros((4, 2)))\n"
                        + "\th = tf.matmul(x,\tw)\n"));
        assertEquals("test.kiln:3:6: matmul('x' f32[?,3], 'w' f32[4,2]): inner dimensions do not match: 3 vs 4",
                e.getMessage());
        assertEquals(new SourcePos("test.kiln", 3, 6), e.pos());
        assertEquals(e.getMessage() + "\n\th = tf.matmul(x,\tw)\n\t    ^", e.fullMessage());
        assertInstanceOf(KilnException.class, e.getCause(), "keeps Tf's exception as the cause");
    }

    @Test
    void anErrorAtTheEndOfTheFileStillHasALine() {
        ScriptException e = assertThrows(ScriptException.class, () -> parse("x = (1 +\n"));
        assertEquals("test.kiln:1:5: '(' was never closed", e.getMessage());
        assertEquals("x = (1 +\n    ^", e.fullMessage().substring(e.getMessage().length() + 1));
        ScriptException end = assertThrows(ScriptException.class, () -> parse("x = 1 +"));
        assertEquals("test.kiln:1:8: expected an expression, found end of line", end.getMessage());
    }

    @Test
    void syntaxErrorsComeBeforeAnythingIsBuilt() {
        ScriptException e = assertThrows(ScriptException.class,
                () -> parse("h = tf.matmul(tf.zeros((2, 3)), tf.zeros((2, 3)))\nx = $\n"));
        assertEquals("test.kiln:2:5: unexpected character '$'", e.getMessage());
    }

    @Test
    void unreadableFileIsAKilnExceptionNamingIt() {
        Path missing = Path.of("no-such-dir", "missing.kiln");
        KilnException e = assertThrows(KilnException.class, () -> Script.parse(missing));
        assertFalse(e instanceof ScriptException);
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void windowsLineEndingsAndABomAreFine() {
        Graph g = parse("\uFEFFimport tensorflow as tf\r\nx = tf.placeholder(tf.float32, (2,))\r\n\r\ny = x * 2.0\r\n");
        assertEquals(new SourcePos("test.kiln", 4, 7), g.node("y").pos());
        ScriptException e = assertThrows(ScriptException.class, () -> parse("a = 1\r\nb = c\r\n"));
        assertEquals("test.kiln:2:5: name 'c' is not defined", e.getMessage());
        assertEquals("b = c", e.sourceLine());
    }
}
