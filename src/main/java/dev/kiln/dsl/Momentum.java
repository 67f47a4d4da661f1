package dev.kiln.dsl;

import dev.kiln.ir.Node;
import java.util.List;

/**
 * TensorFlow's {@code MomentumOptimizer} ({@code ApplyMomentum}): {@code a ← a·μ + g}, then
 * {@code w ← w − a·lr}, or with Nesterov's correction {@code w ← w − (g·lr + a·μ·lr)}. The slot {@code a}
 * is {@code w/Momentum}, starting at zero.
 */
public final class Momentum extends Optimizer {
    private final float learningRate;
    private final float momentum;
    private final boolean nesterov;

    Momentum(Tf tf, String name, float learningRate, float momentum, boolean nesterov) {
        super(tf, name);
        this.learningRate = learningRate(tf, "MomentumOptimizer", learningRate);
        this.momentum = check(tf, "MomentumOptimizer", "momentum", momentum, 0f, Float.POSITIVE_INFINITY, false);
        this.nesterov = nesterov;
    }

    @Override
    public String settings() {
        return "learning_rate=" + learningRate + " momentum=" + momentum + (nesterov ? " use_nesterov=True" : "");
    }

    @Override
    List<Node> apply(Node g, Node w) {
        Node a = slot(w, 0f);
        Node aNew = tf.add(tf.mul(a, momentum), g);
        Node step = nesterov ? tf.add(tf.mul(g, learningRate), tf.mul(tf.mul(aNew, momentum), learningRate))
                : tf.mul(aNew, learningRate);
        return List.of(tf.assign(a, aNew), tf.assign(w, tf.sub(w, step)));
    }
}
