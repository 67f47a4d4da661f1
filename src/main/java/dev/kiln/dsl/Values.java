package dev.kiln.dsl;

import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The values a script computes with. Numbers are {@link Long} (Python int) or {@link Double} (Python
 * float) and are folded by the evaluator; tensors are graph {@link Node}s; the rest are small records.
 */
final class Values {
    private Values() {}

    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A library or one of its submodules: {@code lib} is "tensorflow" or "numpy", {@code path} e.g. "nn". */
    record Module(String lib, String shown, String path) {}

    /** A built-in function as the script spelled it ({@code shown}, e.g. {@code tf.nn.relu}). */
    record Func(Builtins.Builtin fn, String shown) {}

    /** A method of a tensor, bound to it ({@code w1.assign}); {@code selfPos} is where the tensor's expression is. */
    record Method(Node self, SourcePos selfPos, Builtins.Builtin fn, String shown) {}

    /** An optimizer such as {@code tf.train.AdamOptimizer(1e-3)}, with its methods (see {@link Optimizers}). */
    record OptimizerValue(Optimizer optimizer, String shown) {}

    /** A dtype such as {@code tf.float32}; only float32 can be used. */
    record DTypeValue(String name) {}

    /** A tuple or list; {@code where} gives each item's position, or is null (a function's result). */
    record PySeq(List<Object> items, List<SourcePos> where, boolean isList) {
        SourcePos at(int i, SourcePos fallback) {
            return where == null || i >= where.size() || where.get(i) == null ? fallback : where.get(i);
        }
    }

    // ---- only in whole programs

    /** A dict, in insertion order; keys compare as Python's do for the kinds a program uses (see {@link Key}). */
    record PyDict(java.util.LinkedHashMap<Key, Object> map) {}

    /** A dict key: numbers by value (1 == 1.0), strings by content, anything else (tensors) by identity. */
    record Key(Object value) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k)) {
                return false;
            }
            if (isNumber(value) && isNumber(k.value)) {
                return toDouble(value) == toDouble(k.value);
            }
            if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
                return value.equals(k.value);
            }
            return value == k.value;
        }

        @Override
        public int hashCode() {
            if (isNumber(value)) {
                double d = toDouble(value);
                return d == Math.rint(d) ? Long.hashCode((long) d) : Double.hashCode(d);
            }
            return value instanceof String || value instanceof Boolean ? value.hashCode() : System.identityHashCode(value);
        }
    }

    /** {@code range(start, stop, step)}. */
    record Range(long start, long stop, long step) {
        long size() {
            if (step > 0) {
                return stop <= start ? 0 : (stop - start + step - 1) / step;
            }
            return stop >= start ? 0 : (start - stop - step - 1) / -step;
        }
    }

    /** A one-shot iterator: what {@code enumerate} and {@code zip} return. */
    record PyIter(String kind, java.util.Iterator<Object> it) {}

    /**
     * An operation a session runs for its effect, fetching {@code None}: an optimizer's {@code minimize},
     * {@code tf.group}, or (with {@code initialize}) a variables initializer.
     */
    record Operation(String shown, List<Node> targets, List<Node> initialize) {}

    /** A function the program defined. */
    record UserFunc(Ast.Def def) {}

    /** A method of a host value, bound to it: {@code losses.append}, {@code sess.run}, {@code x.reshape}. */
    record BoundMethod(Object self, String name, String shown) {}

    /** A Python built-in function: {@code print}, {@code range}, {@code len}... */
    record PyFunc(String name) {}

    /** A NumPy function: {@code np.zeros}, {@code np.random.randn}; {@code name} is the path under {@code np}. */
    record NpFunc(String name, String shown) {}

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double;
    }

    static double toDouble(Object v) {
        return v instanceof Long l ? l : (Double) v;
    }

    /** Python's name for the type of {@code v}, as in {@code unsupported operand types}. */
    static String typeName(Object v) {
        if (v instanceof Long) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof String) {
            return "str";
        } else if (v instanceof Node) {
            return "tensor";
        } else if (v instanceof PySeq s) {
            return s.isList() ? "list" : "tuple";
        } else if (v instanceof Module) {
            return "module";
        } else if (v instanceof Func || v instanceof Method) {
            return "function";
        } else if (v instanceof DTypeValue) {
            return "dtype";
        } else if (v instanceof OptimizerValue o) {
            return o.shown();
        }
        return v == NONE ? "None" : ProgramValues.typeName(v);
    }

    /** {@code a tensor}, {@code an int}. */
    static String aType(Object v) {
        return v == NONE ? "None" : article(typeName(v));
    }

    /** {@code an add}, {@code a matmul}. */
    static String article(String noun) {
        return ("aeiou".indexOf(noun.isEmpty() ? 'x' : noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** Roughly Python's {@code repr}: {@code 3}, {@code 1e-06}, {@code (None, 3)}, {@code 'float32'}. */
    static String repr(Object v) {
        return repr(v, 0);
    }

    private static String repr(Object v, int depth) {
        if (depth > 4) {
            return "...";
        }
        if (v instanceof Double d) {
            return repr(d.doubleValue());
        } else if (v instanceof Boolean b) {
            return b ? "True" : "False";
        } else if (v instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'";
        } else if (v instanceof PySeq s) {
            String inner = s.items().stream().limit(10).map(x -> repr(x, depth + 1)).collect(Collectors.joining(", "))
                    + (s.items().size() > 10 ? ", ..." : "");
            return s.isList() ? "[" + inner + "]" : "(" + inner + (s.items().size() == 1 ? ",)" : ")");
        } else if (v instanceof Node n) {
            return n.describe();
        } else if (v instanceof Module m) {
            return "module '" + m.shown() + "'";
        } else if (v instanceof Func f) {
            return "function '" + f.shown() + "'";
        } else if (v instanceof Method m) {
            return "method '" + m.shown() + "'";
        } else if (v instanceof DTypeValue d) {
            return d.name();
        } else if (v instanceof OptimizerValue o) {
            return "<" + o.shown() + " " + o.optimizer().settings() + ">";
        }
        return v == NONE ? "None" : ProgramValues.repr(v);
    }

    static String repr(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
