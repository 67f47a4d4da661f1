package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Reachability;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * TensorFlow's {@code tf.train} optimizers, reached as {@code tf.train()}. Each builds, for a loss, the
 * gradients and one assignment per variable, which the compiler folds into one update kernel per variable
 * where it can ({@code fold-sgd-updates}).
 */
public final class Train {
    private final Tf tf;

    Train(Tf tf) {
        this.tf = tf;
    }

    /** Plain gradient descent with a fixed learning rate, as {@code tf.train.GradientDescentOptimizer}. */
    public GradientDescent gradientDescent(float learningRate) {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new KilnException(tf.builder().currentPosition(),
                    "GradientDescentOptimizer: the learning rate must be a positive number, got " + learningRate);
        }
        return new GradientDescent(tf, learningRate);
    }

    /** {@code w ← w - learning_rate · dloss/dw} for every variable, as TensorFlow's {@code ApplyGradientDescent}. */
    public static final class GradientDescent {
        private final Tf tf;
        private final float learningRate;

        GradientDescent(Tf tf, float learningRate) {
            this.tf = tf;
            this.learningRate = learningRate;
        }

        public float learningRate() {
            return learningRate;
        }

        /** Minimizes {@code loss} over every variable it depends on, in the graph's order; returns the assignments. */
        public List<Node> minimize(Node loss) {
            return minimize(loss, null);
        }

        /** Minimizes {@code loss} over {@code varList} (null: every variable it depends on); returns the assignments. */
        public List<Node> minimize(Node loss, List<Node> varList) {
            tf.operand(loss, "minimize");
            List<Node> vars = varList != null ? varList : variablesOf(loss);
            for (Node v : vars) {
                if (tf.operand(v, "minimize").op().storage() != Op.Storage.STATE) {
                    throw new KilnException(tf.builder().currentPosition(), "minimize: var_list may hold only variables, not "
                            + tf.builder().describe(v));
                }
            }
            if (vars.isEmpty()) {
                throw new KilnException(tf.builder().currentPosition(), "minimize: " + tf.builder().describe(loss)
                        + " depends on no variable, so there is nothing to train");
            }
            List<Node> grads = tf.gradients(loss, vars);
            List<Node> assigns = new ArrayList<>(vars.size());
            for (int i = 0; i < vars.size(); i++) {
                assigns.add(tf.assign(vars.get(i), tf.sub(vars.get(i), tf.mul(learningRate, grads.get(i)))));
            }
            return assigns;
        }

        private List<Node> variablesOf(Node loss) {
            BitSet ancestors = Reachability.ancestors(loss);
            List<Node> vars = new ArrayList<>();
            for (Node n : tf.builder().nodes()) {
                if (ancestors.get(n.id()) && n.op().storage() == Op.Storage.STATE) {
                    vars.add(n);
                }
            }
            return vars;
        }
    }
}
