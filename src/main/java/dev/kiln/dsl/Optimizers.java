package dev.kiln.dsl;

import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizers as scripts use them: {@code tf.train.GradientDescentOptimizer(lr)} makes an optimizer value
 * ({@link Values.OptimizerValue}) whose {@code minimize(loss, var_list=...)} returns the tuple of its
 * assignments (the training step a TF1 script fetches as {@code train_op}).
 */
final class Optimizers {
    private Optimizers() {}

    static final Builtins.Builtin GRADIENT_DESCENT = new Builtins.Builtin("GradientDescentOptimizer",
            List.of("learning_rate", "use_locking", "name"), 1, in -> {
                in.flag("use_locking", false);
                float lr = in.number("learning_rate", 0f);
                return new Values.OptimizerValue(in.errorsAt("learning_rate", () -> in.tf.train().gradientDescent(lr)),
                        "GradientDescentOptimizer");
            });

    /** {@code opt.minimize}, bound to the optimizer. */
    static Builtins.Builtin minimize(Values.OptimizerValue opt) {
        return new Builtins.Builtin("minimize", List.of("loss", "global_step", "var_list", "gate_gradients",
                "aggregation_method", "colocate_gradients_with_ops", "name", "grad_loss"), 1, in -> {
                    for (String unsupported : List.of("global_step", "grad_loss")) {
                        if (in.given(unsupported)) {
                            throw in.error(unsupported, "minimize: '" + unsupported + "' is not supported yet");
                        }
                    }
                    Node loss = in.tensor("loss");
                    List<Node> vars = in.given("var_list") ? variables(in) : null;
                    List<Node> assigns = in.errorsAt("loss", () -> opt.optimizer().minimize(loss, vars));
                    return new PySeq(new ArrayList<>(assigns), null, false);
                });
    }

    private static List<Node> variables(Invocation in) {
        Object v = in.raw("var_list");
        if (!(v instanceof PySeq s)) {
            throw in.error("var_list", "minimize: 'var_list' must be a list of variables, got " + Values.aType(v));
        }
        List<Node> vars = new ArrayList<>();
        for (int i = 0; i < s.items().size(); i++) {
            if (!(s.items().get(i) instanceof Node n)) {
                throw in.ip.src().error(s.at(i, in.at("var_list")), "minimize: 'var_list' must hold variables, got "
                        + Values.aType(s.items().get(i)));
            }
            vars.add(n);
        }
        return vars;
    }
}
