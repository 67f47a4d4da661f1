package dev.kiln.dsl;

import dev.kiln.ir.Node;
import java.util.List;

/**
 * TensorFlow's {@code RMSPropOptimizer} ({@code ApplyRMSProp}): {@code ms ← ms + (g² − ms)·(1−ρ)},
 * {@code mom ← mom·μ + g·lr/√(ms + ε)}, {@code w ← w − mom}. Centered ({@code ApplyCenteredRMSProp}), it
 * also keeps the mean gradient {@code mg ← mg + (g − mg)·(1−ρ)} and divides by {@code √(ms − mg² + ε)}.
 * The slots are {@code w/RMSProp} (ms, starting at one), {@code w/RMSProp_1} (mg, when centered) and then
 * the momentum, starting at zero.
 */
public final class RMSProp extends Optimizer {
    private final float learningRate;
    private final float decay;
    private final float momentum;
    private final float epsilon;
    private final boolean centered;

    RMSProp(Tf tf, String name, float learningRate, float decay, float momentum, float epsilon, boolean centered) {
        super(tf, name);
        this.learningRate = learningRate(tf, "RMSPropOptimizer", learningRate);
        this.decay = check(tf, "RMSPropOptimizer", "decay", decay, 0f, 1f, true);
        this.momentum = check(tf, "RMSPropOptimizer", "momentum", momentum, 0f, Float.POSITIVE_INFINITY, false);
        this.epsilon = check(tf, "RMSPropOptimizer", "epsilon", epsilon, 0f, Float.POSITIVE_INFINITY, false);
        this.centered = centered;
    }

    @Override
    public String settings() {
        return "learning_rate=" + learningRate + " decay=" + decay + " momentum=" + momentum + " epsilon=" + epsilon
                + (centered ? " centered=True" : "");
    }

    @Override
    List<Node> apply(Node g, Node w) {
        Node ms = slot(w, 1f);
        Node mg = centered ? slot(w, 0f) : null;
        Node mom = slot(w, 0f);
        Node msNew = tf.add(ms, tf.mul(tf.sub(tf.square(g), ms), 1f - decay));
        Node mgNew = centered ? tf.add(mg, tf.mul(tf.sub(g, mg), 1f - decay)) : null;
        Node denominator = centered ? tf.add(tf.sub(msNew, tf.square(mgNew)), epsilon) : tf.add(msNew, epsilon);
        Node momNew = tf.add(tf.mul(mom, momentum), tf.div(tf.mul(g, learningRate), tf.sqrt(denominator)));
        Node wNew = tf.sub(w, momNew);
        return centered ? List.of(tf.assign(ms, msNew), tf.assign(mg, mgNew), tf.assign(mom, momNew), tf.assign(w, wNew))
                : List.of(tf.assign(ms, msNew), tf.assign(mom, momNew), tf.assign(w, wNew));
    }
}
