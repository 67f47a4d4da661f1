package dev.kiln.dsl;

import dev.kiln.dsl.Ast.Attr;
import dev.kiln.dsl.Ast.Call;
import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.dsl.Values.BoundMethod;
import dev.kiln.dsl.Values.DTypeValue;
import dev.kiln.dsl.Values.NpFunc;
import dev.kiln.dsl.Values.Operation;
import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PyFunc;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.dsl.Values.UserFunc;
import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.Functions;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NumpyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attributes and calls of the values only whole programs have: NumPy functions, arrays and their
 * methods, sessions ({@code sess.run}), savers, tensors' {@code eval} and operations' {@code run} in the
 * default session, the program's own functions, Python's built-ins, and the methods of strings, lists
 * and dicts ({@link PyMethods}).
 */
final class HostOps {
    private HostOps() {}

    private static final Set<String> ARRAY_ATTRIBUTES = Set.of("shape", "dtype", "size", "ndim", "T");
    private static final Set<String> SESSION_METHODS = Set.of("run", "close", "as_default");
    private static final Set<String> SAVER_METHODS = Set.of("save", "restore");

    static Object attribute(Evaluator ip, Object obj, Attr a) {
        String name = a.name();
        String shown = Values.typeName(obj) + "." + name;
        if (obj instanceof NdArray arr) {
            if (ARRAY_ATTRIBUTES.contains(name)) {
                try {
                    return ProgramState.value(arr.attribute(name));
                } catch (NumpyException e) {
                    throw ip.src().error(a.namePos(), ProgramEval.numpyMessage(e));
                }
            }
            return new BoundMethod(obj, name, shown);
        }
        if (obj instanceof Node n) {
            return switch (name) {
                case "eval", "get_shape" -> new BoundMethod(obj, name, shown);
                case "shape" -> shape(n);
                case "name" -> (n.name() != null ? n.name() : ip.tf().builder().nameOf(n)) + ":0";
                case "dtype" -> new DTypeValue(n.dtype().pythonName());
                case "initializer" -> new Operation(n.name() + "/Assign", List.of(), List.of(n));
                default -> throw ip.src().error(a.namePos(), "tensors have no attribute '" + name
                        + "' here (only assign, eval, shape, get_shape, name, dtype and initializer)");
            };
        }
        if (obj instanceof ProgramState.NpzFile f && name.equals("files")) {
            return new PySeq(new ArrayList<>(f.arrays().keySet()), null, true);
        }
        if (obj instanceof Operation && name.equals("run")
                || obj instanceof Sessions.SessionValue && SESSION_METHODS.contains(name)
                || obj instanceof Sessions.SaverValue && SAVER_METHODS.contains(name)
                || obj instanceof Sessions.GraphValue && name.equals("as_default")
                || PyMethods.has(obj, name)) {
            return new BoundMethod(obj, name, shown);
        }
        throw ip.src().error(a.namePos(), "'" + Values.typeName(obj) + "' object has no attribute '" + name + "'");
    }

    /** A tensor's static shape as a tuple, {@code None} for the batch dimension. */
    static PySeq shape(Node n) {
        List<Object> dims = new ArrayList<>();
        for (int d : n.shape().dims()) {
            dims.add(d == dev.kiln.ir.Shape.UNKNOWN ? Values.NONE : (Object) (long) d);
        }
        return new PySeq(dims, null, false);
    }

    static Object call(Evaluator ip, Object fn, Call c, List<Arg> args) {
        if (fn instanceof PyFunc f) {
            return PyBuiltins.call(ip, f.name(), args, c.pos());
        } else if (fn instanceof UserFunc f) {
            return ip.callUser(f, args, c.pos());
        } else if (fn instanceof NpFunc f) {
            return numpy(ip, f.name(), f.shown(), args, c.pos());
        } else if (fn instanceof DTypeValue d) {
            return numpy(ip, d.name(), "np." + d.name(), args, c.pos());
        } else if (fn instanceof BoundMethod m) {
            return method(ip, m, args, c.pos());
        }
        throw ip.src().error(c.pos(), "'" + Values.typeName(fn) + "' object is not callable");
    }

    /** A NumPy function of the library, its errors placed at the call (or the argument they are about). */
    static Object numpy(Evaluator ip, String name, String shown, List<Arg> args, SourcePos at) {
        NumpyArgs n = NumpyArgs.of(args);
        try {
            return ProgramState.value(Functions.call(name, n.positional(), n.keywords(), ip.program().numpyState()));
        } catch (NumpyException e) {
            throw ip.src().error(where(e.argument(), args, at), shown + ": " + ProgramEval.numpyMessage(e));
        }
    }

    /** A call's arguments as the NumPy library takes them ({@link ProgramState#arg}): positional, then by keyword. */
    private record NumpyArgs(List<Object> positional, Map<String, Object> keywords) {
        static NumpyArgs of(List<Arg> args) {
            NumpyArgs n = new NumpyArgs(new ArrayList<>(), new LinkedHashMap<>());
            for (Arg a : args) {
                if (a.name() == null) {
                    n.positional().add(ProgramState.arg(a.value()));
                } else {
                    n.keywords().put(a.name(), ProgramState.arg(a.value()));
                }
            }
            return n;
        }
    }

    private static SourcePos where(String argument, List<Arg> args, SourcePos at) {
        if (argument != null) {
            for (Arg a : args) {
                if (argument.equals(a.name())) {
                    return a.pos();
                }
            }
        }
        return at;
    }

    private static Object method(Evaluator ip, BoundMethod m, List<Arg> args, SourcePos at) {
        Object self = m.self();
        if (self instanceof NdArray a) {
            NumpyArgs n = NumpyArgs.of(args);
            try {
                Object r = a.callMethod(m.name(), n.positional(), n.keywords());
                return m.name().equals("tolist") ? listed(ProgramState.value(r)) : ProgramState.value(r);
            } catch (NumpyException e) {
                throw ip.src().error(where(e.argument(), args, at), m.shown() + ": " + ProgramEval.numpyMessage(e));
            }
        }
        if (self instanceof Sessions.SessionValue || self instanceof Sessions.SaverValue || self instanceof Node
                || self instanceof Operation || self instanceof Sessions.GraphValue) {
            return SessionCalls.call(ip, m, Params.of(ip, m.shown(), args, at));
        }
        return PyMethods.call(ip, m, args, at);
    }

    /** What {@code tolist()} returns: lists all the way down. */
    private static Object listed(Object v) {
        if (v instanceof PySeq s) {
            List<Object> items = new ArrayList<>();
            for (Object x : s.items()) {
                items.add(listed(x));
            }
            return new PySeq(items, null, true);
        }
        return v;
    }

    /** A dict of keyword arguments as Python would pass them. */
    static PyDict dict(Map<String, Object> m) {
        LinkedHashMap<Values.Key, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(new Values.Key(k), v));
        return new PyDict(out);
    }
}
