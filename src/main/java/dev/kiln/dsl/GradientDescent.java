package dev.kiln.dsl;

import dev.kiln.ir.Node;
import java.util.List;

/** {@code w ← w − lr·g}, as TensorFlow's {@code GradientDescentOptimizer} ({@code ApplyGradientDescent}). */
public final class GradientDescent extends Optimizer {
    private final float learningRate;

    GradientDescent(Tf tf, String name, float learningRate) {
        super(tf, name);
        this.learningRate = learningRate(tf, "GradientDescentOptimizer", learningRate);
    }

    public float learningRate() {
        return learningRate;
    }

    @Override
    public String settings() {
        return "learning_rate=" + learningRate;
    }

    /** Written as the canonical program writes its updates by hand, which {@code fold-sgd-updates} folds. */
    @Override
    List<Node> apply(Node g, Node w) {
        return List.of(tf.assign(w, tf.sub(w, tf.mul(learningRate, g))));
    }
}
