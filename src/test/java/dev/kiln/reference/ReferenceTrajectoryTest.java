package dev.kiln.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The canonical program, written with the Java DSL, on each engine, against PyTorch and TensorFlow. */
class ReferenceTrajectoryTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void agreesWithTorchAndTensorFlow(Engine engine) {
        Graph g = ReferenceCase.canonical().bind(64);
        Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), engine, 0);
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
            System.out.printf("%s vs %s: loss %.3f, w1 %.3f, w2 %.3f of the bounds%n", engine, who, l, w1, w2);
        }
        assertTrue(losses[499] < 1e-3f, "the loss reaches the float32 floor: " + losses[499]);
    }
}
