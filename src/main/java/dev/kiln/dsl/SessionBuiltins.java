package dev.kiln.dsl;

import dev.kiln.dsl.Values.Operation;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tf} functions that only mean something when a whole program runs: {@code tf.Session},
 * the variables initializers, {@code tf.train.Saver}, {@code tf.group}, and the graph-level calls a TF1
 * program makes that need nothing here ({@code tf.Graph().as_default()}, {@code tf.name_scope},
 * {@code tf.reset_default_graph}). In a {@code .kiln} script they are errors that point to
 * {@code kiln exec}.
 */
final class SessionBuiltins {
    private SessionBuiltins() {}

    static List<TypedBuiltins.Entry> all() {
        return List.of(
                new TypedBuiltins.Entry(fn("Session", 0, List.of("target", "graph", "config"),
                        in -> program(in).open())),
                new TypedBuiltins.Entry(fn("InteractiveSession", 0, List.of("target", "graph", "config"), in -> {
                    Sessions.SessionValue s = program(in).open();
                    program(in).defaults().push(s);
                    return s;
                })),
                new TypedBuiltins.Entry(fn("global_variables_initializer", 0, List.of(),
                        in -> initializer(in, "init", variables(in, false))), "initialize_all_variables"),
                new TypedBuiltins.Entry(fn("variables_initializer", 1, List.of("var_list", "name"),
                        in -> initializer(in, "init", varList(in))), "initializers.variables"),
                new TypedBuiltins.Entry(fn("local_variables_initializer", 0, List.of(),
                        in -> initializer(in, "init_local", List.of())), "initialize_local_variables"),
                new TypedBuiltins.Entry(fn("Saver", 0, List.of("var_list", "reshape", "sharded", "max_to_keep"),
                        in -> {
                            program(in);
                            return new Sessions.SaverValue(in.given("var_list") ? varList(in) : variables(in, false));
                        }), "train.Saver"),
                new TypedBuiltins.Entry(fn("group", 0, List.of("inputs", "name"), in -> {
                    throw in.ip.src().error(in.pos, "tf.group is not supported; fetch the operations together instead:"
                            + " sess.run([op1, op2])");
                })),
                new TypedBuiltins.Entry(fn("Graph", 0, List.of(), in -> new Sessions.GraphValue())),
                new TypedBuiltins.Entry(fn("name_scope", 1, List.of("name", "default_name", "values"),
                        in -> new Sessions.NoContext("name_scope"))),
                new TypedBuiltins.Entry(fn("reset_default_graph", 0, List.of(), in -> Values.NONE)),
                new TypedBuiltins.Entry(fn("set_random_seed", 1, List.of("seed"), in -> {
                    program(in);
                    return Values.NONE;
                }), "random.set_random_seed"));
    }

    private static Builtins.Builtin fn(String name, int required, List<String> params,
            java.util.function.Function<Invocation, Object> impl) {
        return new Builtins.Builtin(name, params, required, impl);
    }

    /** The program's state; an error in a {@code .kiln} script. */
    private static ProgramState program(Invocation in) {
        ProgramState ps = in.ip.program();
        if (ps == null) {
            throw in.ip.src().error(in.pos, in.shown + " only runs in a whole program: use 'kiln exec' on it"
                    + " (a .kiln script holds the graph, and kiln train runs the session)");
        }
        return ps;
    }

    private static Operation initializer(Invocation in, String shown, List<Node> variables) {
        program(in);
        return new Operation(shown, List.of(), variables);
    }

    /** The graph's variables so far ({@code trainable}: only those an optimizer would update by default). */
    private static List<Node> variables(Invocation in, boolean trainable) {
        List<Node> out = new ArrayList<>();
        for (Node n : in.tf.builder().nodes()) {
            if (n.op().storage() == Op.Storage.STATE) {
                out.add(n);
            }
        }
        return out;
    }

    private static List<Node> varList(Invocation in) {
        Object v = in.raw("var_list");
        List<Node> out = new ArrayList<>();
        if (v instanceof PySeq s) {
            for (Object x : s.items()) {
                if (!(x instanceof Node n) || n.op().storage() != Op.Storage.STATE) {
                    throw in.error("var_list", in.shown + ": 'var_list' must hold variables, got " + Values.aType(x));
                }
                out.add(n);
            }
            return out;
        }
        throw in.error("var_list", in.shown + ": 'var_list' must be a list of variables, got " + Values.aType(v));
    }
}
