package dev.kiln.dsl;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One call of a built-in function: the arguments bound to its parameters (checked as Python checks
 * them), and helpers that read an argument as a tensor, shape, flag or number, complaining at that
 * argument's position.
 */
final class Invocation {
    /** An evaluated argument: its value and where its expression starts; {@code name} is null if positional. */
    record Arg(String name, Object value, SourcePos pos) {}

    /** The name a statement {@code NAME = call(...)} binds, offered to placeholder and Variable. */
    record Hint(String name, SourcePos pos) {}

    final Evaluator ip;
    final Tf tf;
    final Convert convert;
    final String shown;
    final SourcePos pos;
    final Hint hint;
    /** The tensor a method is called on, or null. */
    final Node self;
    final SourcePos selfPos;
    private final Map<String, Arg> args = new HashMap<>();

    private Invocation(Evaluator ip, String shown, SourcePos pos, Hint hint, Node self, SourcePos selfPos) {
        this.ip = ip;
        this.tf = ip.tf();
        this.convert = ip.convert();
        this.shown = shown;
        this.pos = pos;
        this.hint = hint;
        this.self = self;
        this.selfPos = selfPos;
    }

    /** Binds {@code given} (positional first, then keywords) to the parameters of {@code fn}. */
    static Invocation bind(Evaluator ip, Builtins.Builtin fn, String shown, SourcePos pos, List<Arg> given,
            Hint hint, Node self, SourcePos selfPos) {
        Invocation in = new Invocation(ip, shown, pos, hint, self, selfPos);
        List<String> params = fn.params();
        int positional = 0;
        for (Arg a : given) {
            if (a.name() == null) {
                if (positional >= params.size()) {
                    long count = given.stream().filter(g -> g.name() == null).count();
                    throw ip.src().error(a.pos(), shown + "() takes " + (params.isEmpty() ? "no arguments"
                            : "at most " + params.size() + " argument" + (params.size() == 1 ? "" : "s"))
                            + " (" + count + " given)");
                }
                in.args.put(params.get(positional++), a);
            } else if (!params.contains(a.name())) {
                throw ip.src().error(a.pos(), shown + "() got an unexpected keyword argument '" + a.name() + "'"
                        + (params.isEmpty() ? "" : "; valid keywords are " + String.join(", ", params)));
            } else if (in.args.containsKey(a.name())) {
                throw ip.src().error(a.pos(), shown + "() got multiple values for argument '" + a.name() + "'");
            } else {
                in.args.put(a.name(), a);
            }
        }
        for (int i = 0; i < fn.required(); i++) {
            if (!in.args.containsKey(params.get(i))) {
                throw ip.src().error(pos, shown + "() missing required argument '" + params.get(i) + "'");
            }
        }
        return in;
    }

    /** True when the argument was given and is not None. */
    boolean given(String param) {
        Arg a = args.get(param);
        return a != null && a.value() != Values.NONE;
    }

    Object raw(String param) {
        Arg a = args.get(param);
        return a == null ? Values.NONE : a.value();
    }

    /** Where the argument is, or the call's position when it was not given. */
    SourcePos at(String param) {
        Arg a = param == null ? null : args.get(param);
        return a == null ? pos : a.pos();
    }

    ScriptException error(String param, String message) {
        return ip.src().error(at(param), message);
    }

    Node tensor(String param) {
        return convert.node(raw(param), at(param), shown + "(): '" + param + "'");
    }

    int[] dims(String param, boolean allowNone, boolean allowInfer) {
        return convert.dims(raw(param), at(param), "shape", allowNone, allowInfer);
    }

    Shape shape(String param) {
        return Shape.of(dims(param, false, false));
    }

    boolean flag(String param, boolean dflt) {
        return given(param) ? convert.bool(raw(param), at(param), "'" + param + "'") : dflt;
    }

    float number(String param, float dflt) {
        return given(param) ? convert.toFloat(raw(param), at(param), "'" + param + "'") : dflt;
    }

    /** Checks a dtype argument, if given (and not None): only float32 is supported. */
    void dtype(String param) {
        if (given(param) && !dtypeName(param).equals("float32")) {
            throw error(param, "only float32 is supported, got " + dtypeName(param));
        }
    }

    /** The name of the dtype given as {@code param}: {@code tf.float32}, {@code np.int64} or a string. */
    private String dtypeName(String param) {
        Object v = raw(param);
        String name = v instanceof Values.DTypeValue d ? d.name() : v instanceof String s ? s : null;
        if (name == null) {
            throw error(param, "'" + param + "' must be a dtype such as tf.float32, got " + Values.aType(v));
        }
        return v instanceof String && name.equals("float") ? "float32" : name; // TensorFlow reads "float" so
    }

    /** A dtype argument Kiln can hold (float32, int32, int64, bool), or {@code dflt} when not given. */
    DType anyDtype(String param, DType dflt) {
        if (!given(param)) {
            return dflt;
        }
        String name = dtypeName(param);
        DType t = DType.byPythonName(name);
        if (t == null) {
            throw error(param, "only float32, int32, int64 and bool are supported, got " + name);
        }
        return t;
    }

    /** The {@code name=} argument, or null. */
    String nameArg() {
        if (!given("name")) {
            return null;
        }
        if (!(raw("name") instanceof String s) || s.isEmpty()) {
            throw error("name", "'name' must be a non-empty string, got " + Values.repr(raw("name")));
        }
        return s;
    }

    /** {@code node}, also bound to the {@code name=} argument when one was given. */
    Node named(Node node) {
        String name = nameArg();
        if (name != null) {
            ip.bindNode(name, node, at("name"));
        }
        return node;
    }

    /** Runs {@code build}, reporting a problem Tf finds at the argument {@code param} rather than the call. */
    <T> T errorsAt(String param, Supplier<T> build) {
        try {
            return build.get();
        } catch (ScriptException e) {
            throw e;
        } catch (KilnException e) {
            throw ip.src().error(at(param), e.detail(), e);
        }
    }
}
