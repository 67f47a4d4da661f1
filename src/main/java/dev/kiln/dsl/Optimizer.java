package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Reachability;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What TensorFlow's {@code tf.train} optimizers share: {@link #computeGradients} takes the gradients of a loss,
 * {@link #applyGradients} builds one assignment per variable and per slot, and {@link #minimize} does both.
 * Each optimizer writes its update in TensorFlow's own arithmetic (its {@code Apply*} kernel's order of
 * operations, in float32), from the variables' values before the step; slots ({@code w/Adam}, ...) and
 * counters ({@code beta1_power}) are variables, named as TensorFlow names them, so {@code --save} writes them.
 */
public abstract sealed class Optimizer permits GradientDescent, Momentum, Adam, RMSProp {
    /** One variable and the gradient to apply to it, as an item of TensorFlow's {@code grads_and_vars}. */
    public record GradientAndVariable(Node gradient, Node variable) {}

    final Tf tf;
    private final String name;

    Optimizer(Tf tf, String name) {
        this.tf = tf;
        this.name = name;
    }

    /** TensorFlow's name of the optimizer, {@code Adam}, which also names its slots. */
    public final String name() {
        return name;
    }

    /** The constructor's arguments as a script shows them, e.g. {@code learning_rate=0.001}. */
    public abstract String settings();

    /** Minimizes {@code loss} over every trainable variable it depends on, in the graph's order; returns the assignments. */
    public final List<Node> minimize(Node loss) {
        return minimize(loss, null);
    }

    /** Minimizes {@code loss} over {@code varList} (null: every trainable variable it depends on); returns the assignments. */
    public final List<Node> minimize(Node loss, List<Node> varList) {
        return applyGradients(computeGradients(loss, varList));
    }

    /**
     * As {@link #minimize(Node, List)}, and adds one to {@code globalStep} (a scalar variable, as
     * {@code minimize(..., global_step=...)}); it counts exactly up to 2^24 steps, a float's integers.
     */
    public final List<Node> minimize(Node loss, List<Node> varList, Node globalStep) {
        return applyGradients(computeGradients(loss, varList), globalStep);
    }

    /** The gradient of {@code loss} for each of {@code varList} (null: every trainable variable the loss depends on). */
    public final List<GradientAndVariable> computeGradients(Node loss, List<Node> varList) {
        tf.operand(loss, "minimize");
        List<Node> vars = varList != null ? varList : variablesOf(loss);
        for (Node v : vars) {
            checkVariable(v, "var_list");
        }
        if (vars.isEmpty()) {
            throw error("minimize: " + tf.builder().describe(loss) + " depends on no variable, so there is nothing to train");
        }
        List<Node> grads = tf.gradients(loss, vars);
        List<GradientAndVariable> pairs = new ArrayList<>(vars.size());
        for (int i = 0; i < vars.size(); i++) {
            pairs.add(new GradientAndVariable(grads.get(i), vars.get(i)));
        }
        return pairs;
    }

    /**
     * The assignments that apply each gradient to its variable (and to the variable's slots), then those that
     * advance the optimizer's own counters; every one reads the values from before the step.
     */
    public final List<Node> applyGradients(List<GradientAndVariable> gradsAndVars) {
        return applyGradients(gradsAndVars, null);
    }

    /** As {@link #applyGradients(List)}, and adds one to {@code globalStep} unless it is null. */
    public final List<Node> applyGradients(List<GradientAndVariable> gradsAndVars, Node globalStep) {
        if (globalStep != null && (tf.operand(globalStep, "apply_gradients").op().storage() != Op.Storage.STATE
                || globalStep.shape().rank() != 0)) {
            throw error("global_step must be a scalar variable, got " + tf.builder().describe(globalStep));
        }
        if (gradsAndVars == null || gradsAndVars.isEmpty()) {
            throw error("apply_gradients: no (gradient, variable) pairs were given");
        }
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        for (GradientAndVariable p : gradsAndVars) {
            Node w = checkVariable(p.variable(), "apply_gradients");
            tf.operand(p.gradient(), "apply_gradients");
            if (seen.put(w, true) != null) {
                throw error("apply_gradients: variable '" + w.name() + "' is given twice");
            }
            if (w == globalStep) {
                throw error("global_step: variable '" + w.name() + "' is also trained");
            }
            if (!p.gradient().shape().equals(w.shape())) {
                throw error("apply_gradients: the gradient for variable '" + w.name() + "' has shape "
                        + p.gradient().shape() + ", the variable " + w.shape());
            }
        }
        prepare();
        List<Node> assigns = new ArrayList<>();
        for (GradientAndVariable p : gradsAndVars) {
            assigns.addAll(apply(p.gradient(), p.variable()));
        }
        assigns.addAll(finish());
        if (globalStep != null) {
            assigns.add(tf.assign(globalStep, tf.add(globalStep, 1f)));
        }
        return assigns;
    }

    /** Makes what the updates of one {@code applyGradients} share (Adam's powers of its betas). */
    void prepare() {}

    /** The assignments of one variable {@code w} and its slots, from its gradient {@code g}: variable's last. */
    abstract List<Node> apply(Node g, Node w);

    /** The assignments after every variable's (Adam's powers of its betas, advanced a step). */
    List<Node> finish() {
        return List.of();
    }

    /**
     * A new variable for {@code w} of its shape, starting at {@code init} everywhere: TensorFlow's slot
     * {@code w/NAME}, then {@code w/NAME_1}, ... in the order the optimizer makes them.
     */
    final Node slot(Node w, float init) {
        Node start = tf.ops().fill(init, w.shape());
        return tf.train().notTrainable(tf.variable(tf.train().freeName(w.name() + "/" + name), start));
    }

    /** A scalar variable of the optimizer's own, such as {@code beta1_power}. */
    final Node counter(String base, float init) {
        return tf.train().notTrainable(tf.variable(tf.train().freeName(base), tf.constant(init)));
    }


    final KilnException error(String message) {
        return new KilnException(tf.builder().currentPosition(), message);
    }

    /** A setting of an optimizer out of its range; {@code setting} is its parameter's name in TensorFlow. */
    public static final class BadSetting extends KilnException {
        private final String setting;

        BadSetting(Tf tf, String optimizer, String setting, String message) {
            super(tf.builder().currentPosition(), optimizer + ": '" + setting + "' " + message);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    /** {@code x}, unless it is not a finite number within [lo, hi) (hi inclusive when {@code hiIncluded}). */
    static float check(Tf tf, String optimizer, String setting, float x, float lo, float hi, boolean hiIncluded) {
        if (!(x >= lo && (x < hi || hiIncluded && x == hi)) || Float.isInfinite(x)) {
            String range = Float.isInfinite(hi) ? "at least " + lo : "in [" + lo + ", " + hi + (hiIncluded ? "]" : ")");
            throw new BadSetting(tf, optimizer, setting, "must be a number " + range + ", got " + x);
        }
        return x;
    }

    /** {@code lr}, unless it is not a positive finite number. */
    static float learningRate(Tf tf, String optimizer, float lr) {
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new BadSetting(tf, optimizer, "learning_rate", "must be a positive number, got " + lr);
        }
        return lr;
    }

    private Node checkVariable(Node v, String where) {
        if (tf.operand(v, where).op().storage() != Op.Storage.STATE) {
            throw error((where.equals("var_list") ? "minimize: var_list may hold only variables, not "
                    : where + ": can only apply a gradient to a variable, not ") + tf.builder().describe(v));
        }
        return v;
    }

    private List<Node> variablesOf(Node loss) {
        BitSet ancestors = Reachability.ancestors(loss);
        List<Node> vars = new ArrayList<>();
        for (Node n : tf.builder().nodes()) {
            if (ancestors.get(n.id()) && n.op().storage() == Op.Storage.STATE && tf.train().trainable(n)) {
                vars.add(n);
            }
        }
        return vars;
    }
}
