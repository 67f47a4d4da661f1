package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * TensorFlow's {@code tf.train} optimizers, reached as {@code tf.train()}, with TensorFlow's defaults. Each
 * builds, for a loss, the gradients and the assignments of every variable and slot ({@link Optimizer}).
 */
public final class Train {
    private final Tf tf;
    private final Set<Node> untrainable = Collections.newSetFromMap(new IdentityHashMap<>());

    Train(Tf tf) {
        this.tf = tf;
    }

    /**
     * Marks {@code variable} as not trained by default, as {@code tf.Variable(..., trainable=False)}: a
     * {@code minimize} without a var_list leaves it alone. Optimizers' slots and counters are marked so.
     * Returns the variable.
     */
    public Node notTrainable(Node variable) {
        if (tf.operand(variable, "notTrainable").op().storage() != Op.Storage.STATE) {
            throw new KilnException(tf.builder().currentPosition(), "notTrainable: "
                    + tf.builder().describe(variable) + " is not a variable");
        }
        untrainable.add(variable);
        return variable;
    }

    /** {@code base}, or {@code base_1}, {@code base_2}... the first no node is bound to, as TensorFlow uniquifies. */
    String freeName(String base) {
        String n = base;
        for (int i = 1; tf.lookup(n) != null; i++) {
            n = base + "_" + i;
        }
        return n;
    }

    boolean trainable(Node variable) {
        return !untrainable.contains(variable);
    }

    /** Plain gradient descent with a fixed learning rate, as {@code tf.train.GradientDescentOptimizer}. */
    public GradientDescent gradientDescent(float learningRate) {
        return new GradientDescent(tf, "GradientDescent", learningRate);
    }

    /** {@code tf.train.MomentumOptimizer(learning_rate, momentum, use_nesterov=False)}. */
    public Momentum momentum(float learningRate, float momentum) {
        return momentum(learningRate, momentum, false);
    }

    /** {@code tf.train.MomentumOptimizer(learning_rate, momentum, use_nesterov=nesterov)}. */
    public Momentum momentum(float learningRate, float momentum, boolean nesterov) {
        return new Momentum(tf, "Momentum", learningRate, momentum, nesterov);
    }

    /** {@code tf.train.AdamOptimizer(learning_rate)}: β₁ 0.9, β₂ 0.999, ε 1e-8. */
    public Adam adam(float learningRate) {
        return adam(learningRate, 0.9f, 0.999f, 1e-8f);
    }

    /** {@code tf.train.AdamOptimizer(learning_rate, beta1, beta2, epsilon)}. */
    public Adam adam(float learningRate, float beta1, float beta2, float epsilon) {
        return new Adam(tf, "Adam", learningRate, beta1, beta2, epsilon);
    }

    /** {@code tf.train.RMSPropOptimizer(learning_rate)}: decay 0.9, momentum 0, ε 1e-10, not centered. */
    public RMSProp rmsProp(float learningRate) {
        return rmsProp(learningRate, 0.9f, 0f, 1e-10f, false);
    }

    /** {@code tf.train.RMSPropOptimizer(learning_rate, decay, momentum, epsilon, centered=centered)}. */
    public RMSProp rmsProp(float learningRate, float decay, float momentum, float epsilon, boolean centered) {
        return new RMSProp(tf, "RMSProp", learningRate, decay, momentum, epsilon, centered);
    }
}
