package dev.kiln.dsl;

import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The optimizers as scripts use them: {@code tf.train.AdamOptimizer(1e-3)} makes an optimizer value
 * ({@link Values.OptimizerValue}) whose {@code minimize(loss, var_list=...)} and
 * {@code apply_gradients(grads_and_vars)} return the tuple of its assignments (the training step a TF1 script
 * fetches as {@code train_op}), and whose {@code compute_gradients(loss)} returns the list of
 * {@code (gradient, variable)} pairs.
 */
final class Optimizers {
    private Optimizers() {}

    static final Builtins.Builtin GRADIENT_DESCENT = optimizer("GradientDescentOptimizer",
            List.of("learning_rate", "use_locking", "name"), 1, (in, name) ->
                    new GradientDescent(in.tf, name, in.number("learning_rate", 0f)));

    static final Builtins.Builtin MOMENTUM = optimizer("MomentumOptimizer",
            List.of("learning_rate", "momentum", "use_locking", "name", "use_nesterov"), 2, (in, name) ->
                    new Momentum(in.tf, name, in.number("learning_rate", 0f), in.number("momentum", 0f),
                            in.flag("use_nesterov", false)));

    static final Builtins.Builtin ADAM = optimizer("AdamOptimizer",
            List.of("learning_rate", "beta1", "beta2", "epsilon", "use_locking", "name"), 0, (in, name) ->
                    new Adam(in.tf, name, in.number("learning_rate", 0.001f), in.number("beta1", 0.9f),
                            in.number("beta2", 0.999f), in.number("epsilon", 1e-8f)));

    static final Builtins.Builtin RMS_PROP = optimizer("RMSPropOptimizer",
            List.of("learning_rate", "decay", "momentum", "epsilon", "use_locking", "centered", "name"), 1, (in, name) ->
                    new RMSProp(in.tf, name, in.number("learning_rate", 0f), in.number("decay", 0.9f),
                            in.number("momentum", 0f), in.number("epsilon", 1e-10f), in.flag("centered", false)));

    /** The builtin {@code tf.train.<shown>}, whose optimizer {@code make} builds from the call and the optimizer's name. */
    private static Builtins.Builtin optimizer(String shown, List<String> params, int required,
            BiFunction<Invocation, String, Optimizer> make) {
        String defaultName = shown.substring(0, shown.length() - "Optimizer".length());
        return new Builtins.Builtin(shown, params, required, in -> {
            in.flag("use_locking", false);
            String name = in.nameArg();
            Optimizer o;
            try {
                o = make.apply(in, name != null ? name : defaultName);
            } catch (Optimizer.BadSetting e) {
                throw in.ip.src().error(in.at(e.setting()), e.detail(), e);
            }
            return new Values.OptimizerValue(o, shown);
        });
    }

    /** The method {@code name} of {@code opt}, or null when optimizers have no such method. */
    static Builtins.Builtin method(Values.OptimizerValue opt, String name) {
        return switch (name) {
            case "minimize" -> minimize(opt);
            case "compute_gradients" -> computeGradients(opt);
            case "apply_gradients" -> applyGradients(opt);
            default -> null;
        };
    }

    private static Builtins.Builtin minimize(Values.OptimizerValue opt) {
        return new Builtins.Builtin("minimize", List.of("loss", "global_step", "var_list", "gate_gradients",
                "aggregation_method", "colocate_gradients_with_ops", "name", "grad_loss"), 1, in -> {
                    unsupported(in, "minimize", "grad_loss");
                    Node loss = in.tensor("loss");
                    List<Node> vars = in.given("var_list") ? variables(in, "minimize") : null;
                    Node step = globalStep(in);
                    return step(in, in.errorsAt("loss", () -> opt.optimizer().minimize(loss, vars, step)));
                });
    }

    private static Builtins.Builtin computeGradients(Values.OptimizerValue opt) {
        return new Builtins.Builtin("compute_gradients", List.of("loss", "var_list", "gate_gradients",
                "aggregation_method", "colocate_gradients_with_ops", "grad_loss"), 1, in -> {
                    unsupported(in, "compute_gradients", "grad_loss");
                    Node loss = in.tensor("loss");
                    List<Node> vars = in.given("var_list") ? variables(in, "compute_gradients") : null;
                    List<Object> pairs = new ArrayList<>();
                    for (Optimizer.GradientAndVariable p : in.errorsAt("loss", () -> opt.optimizer().computeGradients(loss, vars))) {
                        pairs.add(new PySeq(List.of(p.gradient(), p.variable()), null, false));
                    }
                    return new PySeq(pairs, null, true);
                });
    }

    private static Builtins.Builtin applyGradients(Values.OptimizerValue opt) {
        return new Builtins.Builtin("apply_gradients", List.of("grads_and_vars", "global_step", "name"), 1, in -> {
            Node step = globalStep(in);
            List<Optimizer.GradientAndVariable> pairs = new ArrayList<>();
            for (Object item : items(in, "grads_and_vars", "apply_gradients", "(gradient, variable) pairs")) {
                if (!(item instanceof PySeq p) || p.items().size() != 2 || !(p.items().get(0) instanceof Node g)
                        || !(p.items().get(1) instanceof Node v)) {
                    throw in.error("grads_and_vars", "apply_gradients: 'grads_and_vars' must hold (gradient, variable)"
                            + " pairs of tensors, got " + Values.aType(item));
                }
                pairs.add(new Optimizer.GradientAndVariable(g, v));
            }
            return step(in, in.errorsAt("grads_and_vars", () -> opt.optimizer().applyGradients(pairs, step)));
        });
    }

    /** The {@code global_step=} argument, a scalar variable, or null. */
    private static Node globalStep(Invocation in) {
        if (!in.given("global_step")) {
            return null;
        }
        Node step = in.tensor("global_step");
        if (step.op().storage() != Op.Storage.STATE || step.shape().rank() != 0) {
            throw in.error("global_step", "global_step must be a scalar variable, got " + in.tf.builder().describe(step));
        }
        return step;
    }

    private static void unsupported(Invocation in, String method, String... params) {
        for (String p : params) {
            if (in.given(p)) {
                throw in.error(p, method + ": '" + p + "' is not supported yet");
            }
        }
    }

    /**
     * The training step a script fetches: the tuple of the assignments; in a whole program an operation,
     * which {@code sess.run} runs for its effect and fetches as {@code None}, as TensorFlow's does.
     */
    private static Object step(Invocation in, List<Node> assigns) {
        if (in.ip.program() != null) {
            return new Values.Operation("train_op", List.copyOf(assigns), List.of());
        }
        return new PySeq(new ArrayList<>(assigns), null, false);
    }

    private static List<Object> items(Invocation in, String param, String method, String what) {
        Object v = in.raw(param);
        if (!(v instanceof PySeq s)) {
            throw in.error(param, method + ": '" + param + "' must be a list of " + what + ", got " + Values.aType(v));
        }
        return s.items();
    }

    private static List<Node> variables(Invocation in, String method) {
        PySeq s = in.raw("var_list") instanceof PySeq q ? q : null;
        List<Node> vars = new ArrayList<>();
        List<Object> items = items(in, "var_list", method, "variables");
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Node n)) {
                SourcePos at = s.at(i, in.at("var_list"));
                throw in.ip.src().error(at, method + ": 'var_list' must hold variables, got " + Values.aType(items.get(i)));
            }
            vars.add(n);
        }
        return vars;
    }

}
