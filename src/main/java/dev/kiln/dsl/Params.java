package dev.kiln.dsl;

import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.ir.SourcePos;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a call to one of a program's Python-level functions or methods ({@code print},
 * {@code sess.run}, {@code list.append}), bound to parameter names as Python binds them, with the
 * errors Python gives.
 */
final class Params {
    private final Evaluator ip;
    private final String shown;
    private final List<Arg> args;
    private final SourcePos at;
    private final Map<String, Arg> bound = new HashMap<>();

    private Params(Evaluator ip, String shown, List<Arg> args, SourcePos at) {
        this.ip = ip;
        this.shown = shown;
        this.args = args;
        this.at = at;
    }

    static Params of(Evaluator ip, String shown, List<Arg> args, SourcePos at) {
        return new Params(ip, shown, args, at);
    }

    /** Binds the arguments to {@code names}, the first {@code required} of which must be given. */
    Params bind(int required, String... names) {
        int positional = 0;
        for (Arg a : args) {
            String name;
            if (a.name() == null) {
                if (positional >= names.length) {
                    throw ip.src().error(a.pos(), shown + "() takes " + (names.length == 0 ? "no arguments"
                            : "at most " + names.length + " argument" + (names.length == 1 ? "" : "s")));
                }
                name = names[positional++];
            } else {
                name = a.name();
                if (!List.of(names).contains(name)) {
                    throw ip.src().error(a.pos(), shown + "() got an unexpected keyword argument '" + name + "'");
                }
            }
            if (bound.put(name, a) != null) {
                throw ip.src().error(a.pos(), shown + "() got multiple values for argument '" + name + "'");
            }
        }
        for (int k = 0; k < required; k++) {
            if (!bound.containsKey(names[k])) {
                throw ip.src().error(at, shown + "() missing required argument: '" + names[k] + "'");
            }
        }
        return this;
    }

    boolean given(String name) {
        return bound.containsKey(name) && bound.get(name).value() != Values.NONE;
    }

    Object get(String name) {
        Arg a = bound.get(name);
        return a == null ? Values.NONE : a.value();
    }

    SourcePos pos(String name) {
        Arg a = bound.get(name);
        return a == null ? at : a.pos();
    }

    SourcePos at() {
        return at;
    }

    String shown() {
        return shown;
    }

    List<Arg> args() {
        return args;
    }

    /** The string argument {@code name}. */
    String string(String name) {
        Object v = get(name);
        if (!(v instanceof String s)) {
            throw ip.src().error(pos(name), shown + "(): '" + name + "' must be a string, got " + Values.aType(v));
        }
        return s;
    }

    ScriptException error(String name, String message) {
        return ip.src().error(pos(name), message);
    }
}
