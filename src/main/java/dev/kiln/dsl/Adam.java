package dev.kiln.dsl;

import dev.kiln.ir.Node;
import java.util.List;

/**
 * TensorFlow's {@code AdamOptimizer} ({@code ApplyAdam}): with {@code α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)},
 * {@code m ← m + (g − m)·(1−β₁)}, {@code v ← v + (g² − v)·(1−β₂)}, {@code w ← w − (m·α)/(√v + ε)}. The
 * slots m and v are {@code w/Adam} and {@code w/Adam_1}, starting at zero; β₁ᵗ and β₂ᵗ are the variables
 * {@code beta1_power} and {@code beta2_power}, starting at β₁ and β₂ and multiplied by them after each step.
 */
public final class Adam extends Optimizer {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private Node beta1Power;
    private Node beta2Power;
    private Node alpha;

    Adam(Tf tf, String name, float learningRate, float beta1, float beta2, float epsilon) {
        super(tf, name);
        this.learningRate = learningRate(tf, "AdamOptimizer", learningRate);
        this.beta1 = check(tf, "AdamOptimizer", "beta1", beta1, 0f, 1f, false);
        this.beta2 = check(tf, "AdamOptimizer", "beta2", beta2, 0f, 1f, false);
        this.epsilon = check(tf, "AdamOptimizer", "epsilon", epsilon, 0f, Float.POSITIVE_INFINITY, false);
    }

    @Override
    public String settings() {
        return "learning_rate=" + learningRate + " beta1=" + beta1 + " beta2=" + beta2 + " epsilon=" + epsilon;
    }

    @Override
    void prepare() {
        beta1Power = counter("beta1_power", beta1);
        beta2Power = counter("beta2_power", beta2);
        alpha = tf.div(tf.mul(learningRate, tf.sqrt(tf.sub(1f, beta2Power))), tf.sub(1f, beta1Power));
    }

    @Override
    List<Node> apply(Node g, Node w) {
        Node m = slot(w, 0f);
        Node v = slot(w, 0f);
        Node mNew = tf.add(m, tf.mul(tf.sub(g, m), 1f - beta1));
        Node vNew = tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1f - beta2));
        Node step = tf.div(tf.mul(mNew, alpha), tf.add(tf.sqrt(vNew), epsilon));
        return List.of(tf.assign(m, mNew), tf.assign(v, vNew), tf.assign(w, tf.sub(w, step)));
    }

    @Override
    List<Node> finish() {
        return List.of(tf.assign(beta1Power, tf.mul(beta1Power, beta1)), tf.assign(beta2Power, tf.mul(beta2Power, beta2)));
    }
}
