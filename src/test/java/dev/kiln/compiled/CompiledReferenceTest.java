package dev.kiln.compiled;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.reference.ReferenceCase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical program, written with the Java DSL, run by the compiled engine against PyTorch and TensorFlow. */
class CompiledReferenceTest {
    /** The reference README's program, line by line (as InterpreterReferenceTest writes it). */
    static Graph canonical() {
        int dIn = 1000;
        int h = 100;
        int dOut = 10;
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, dIn));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, dOut));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(dIn, h)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(h, dOut)));
        Node hidden = tf.matmul(x, w1);
        Node hRelu = tf.maximum(hidden, tf.zeros(Tf.shape(1)));
        Node yPred = tf.matmul(hRelu, w2);
        Node loss = tf.name("loss", tf.reduceSum(tf.pow(tf.sub(y, yPred), 2f)));
        List<Node> grads = tf.gradients(loss, w1, w2);
        float learningRate = 1e-6f;
        tf.assign(w1, tf.sub(w1, tf.mul(learningRate, grads.get(0))));
        tf.assign(w2, tf.sub(w2, tf.mul(learningRate, grads.get(1))));
        return tf.build();
    }

    @Test
    void compiledMatchesTorchAndTensorFlow() {
        Graph g = canonical().bind(64);
        Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), Engine.COMPILED, 0);
        assertTrue(s.getClass().getSimpleName().startsWith("Compiled"), "the compiled engine runs the graph: " + s.getClass());
        s.setVariable("w1", ReferenceCase.npy("w1.npy"));
        s.setVariable("w2", ReferenceCase.npy("w2.npy"));
        Map<String, Tensor> feeds = Map.of("x", ReferenceCase.npy("x.npy"), "y", ReferenceCase.npy("y.npy"));
        float[] losses = new float[ReferenceCase.STEPS];
        for (int t = 0; t < losses.length; t++) {
            losses[t] = s.run(feeds).get(0).item();
        }
        for (String who : List.of("torch", "tf")) {
            double l = ReferenceCase.checkLosses(who, losses);
            double w1 = ReferenceCase.checkWeights(who, "w1", s.variable("w1"));
            double w2 = ReferenceCase.checkWeights(who, "w2", s.variable("w2"));
            System.out.printf("compiled vs %s: loss %.3f, w1 %.3f, w2 %.3f of the bounds%n", who, l, w1, w2);
        }
        assertTrue(losses[ReferenceCase.STEPS - 1] < 1e-3f, "the loss falls below 1e-3: " + losses[ReferenceCase.STEPS - 1]);
        assertTrue(losses[0] > 1e3f * losses[ReferenceCase.STEPS - 1], "training makes progress");
    }
}
