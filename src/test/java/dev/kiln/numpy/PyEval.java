package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small evaluator of the Python subset {@code scripts/reference/numpy_arrays.py} writes its cases in, calling
 * the package's public API as the interpreter does: statements separated by {@code "; "} (assignments, also to
 * subscripts and augmented ones, and expressions), the last one's value the result. Python lists are
 * {@link PyList}s (a list used as a whole index goes through {@code np.asarray}), tuples plain Lists.
 */
final class PyEval {
    /** A Python list, told apart from a tuple. */
    static final class PyList extends ArrayList<Object> {}

    /** {@code np} or one of its attributes, resolved when used. */
    record Module(String path) {}

    private record Bound(Object target, String method) {}

    private final NumpyState state;
    private final Map<String, Object> names = new HashMap<>();
    private List<String> tokens;
    private int pos;

    PyEval(NumpyState state) {
        this.state = state;
    }

    Object run(String program) {
        Object last = null;
        for (String stmt : program.split("; ")) {
            last = statement(stmt);
        }
        return last;
    }

    private Object statement(String stmt) {
        tokens = tokenize(stmt);
        pos = 0;
        int assign = -1;
        for (int i = 0, depth = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            depth += "([".contains(t) ? 1 : ")]".contains(t) && t.length() == 1 ? -1 : 0;
            if (depth == 0 && (t.equals("=") || t.length() >= 2 && t.endsWith("=") && "+-*/".indexOf(t.charAt(0)) >= 0
                    && !t.equals("=="))) {
                assign = i;
                break;
            }
        }
        if (assign < 0) {
            return value(expr());
        }
        String op = tokens.get(assign);
        String name = tokens.get(0);
        List<String> all = tokens;
        tokens = all.subList(assign + 1, all.size());
        pos = 0;
        Object rhs = value(expr());
        if (assign == 1) {
            if (op.equals("=")) {
                names.put(name, rhs);
            } else {
                Object cur = names.get(name);
                String bin = op.substring(0, op.length() - 1);
                names.put(name, cur instanceof NdArray a ? Arith.inPlace(bin, a, rhs) : Arith.binary(bin, cur, rhs));
            }
            return null;
        }
        tokens = all.subList(2, assign - 1);
        pos = 0;
        Object index = subscript();
        ((NdArray) names.get(name)).setItem(index, rhs);
        return null;
    }

    // Expressions, by Python's precedence: | ^ & comparisons, + -, * / // % @, unary, **, postfix.

    private Object expr() {
        return binary(0);
    }

    private static final List<List<String>> LEVELS = List.of(List.of("|"), List.of("^"), List.of("&"),
            List.of("==", "!=", "<", "<=", ">", ">="), List.of("+", "-"), List.of("*", "/", "//", "%", "@"));

    private Object binary(int level) {
        if (level == LEVELS.size()) {
            return unary();
        }
        Object left = binary(level + 1);
        while (pos < tokens.size() && LEVELS.get(level).contains(tokens.get(pos))) {
            String op = tokens.get(pos++);
            Object right = binary(level + 1);
            left = op(op, value(left), value(right));
        }
        return left;
    }

    private static Object op(String op, Object a, Object b) {
        if (a instanceof NdArray || b instanceof NdArray) {
            return Arith.binary(op, a, b);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "//" -> Math.floorDiv(x, y);
                default -> Arith.binary(op, NdArray.scalar(NpType.INT64, x), b);
            };
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / y;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private Object unary() {
        String t = tokens.get(pos);
        if (t.equals("-") || t.equals("+") || t.equals("~")) {
            pos++;
            Object v = value(unary());
            if (v instanceof NdArray) {
                return Arith.unary(t, v);
            }
            if (t.equals("-")) {
                return v instanceof Long l ? (Object) (-l) : (Object) (-((Double) v));
            }
            return v;
        }
        Object base = postfix();
        if (pos < tokens.size() && tokens.get(pos).equals("**")) {
            pos++;
            Object exp = value(unary());
            return op2("**", value(base), exp);
        }
        return base;
    }

    private static Object op2(String op, Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y && y >= 0) {
            return java.math.BigInteger.valueOf(x).pow((int) (long) y).longValueExact();
        }
        return a instanceof NdArray || b instanceof NdArray ? Arith.binary(op, a, b)
                : Math.pow(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }

    private Object postfix() {
        Object v = atom();
        while (pos < tokens.size()) {
            String t = tokens.get(pos);
            if (t.equals(".")) {
                pos++;
                String name = tokens.get(pos++);
                if (v instanceof Module m) {
                    v = new Module(m.path().isEmpty() ? name : m.path() + "." + name);
                } else if (pos < tokens.size() && tokens.get(pos).equals("(")) {
                    v = new Bound(v, name);
                } else {
                    v = ((NdArray) value(v)).attribute(name);
                }
            } else if (t.equals("(")) {
                pos++;
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                while (!tokens.get(pos).equals(")")) {
                    if (pos + 1 < tokens.size() && tokens.get(pos + 1).equals("=")) {
                        String key = tokens.get(pos);
                        pos += 2;
                        kwargs.put(key, value(expr()));
                    } else {
                        args.add(value(expr()));
                    }
                    if (tokens.get(pos).equals(",")) {
                        pos++;
                    }
                }
                pos++;
                v = call(v, args, kwargs);
            } else if (t.equals("[")) {
                pos++;
                Object index = subscript();
                pos++; // ]
                v = ((NdArray) value(v)).getItem(index);
            } else {
                break;
            }
        }
        return v;
    }

    private Object call(Object f, List<Object> args, Map<String, Object> kwargs) {
        if (f instanceof Bound b) {
            return ((NdArray) value(b.target())).callMethod(b.method(), args, kwargs);
        }
        String name = ((Module) f).path();
        if (name.equals("bool")) {
            name = "bool_";
        }
        return Functions.call(name, args, kwargs, state);
    }

    /** An index: one item, or a tuple of items (slices allowed); a list index goes through np.asarray. */
    private Object subscript() {
        List<Object> items = new ArrayList<>();
        boolean tuple = false;
        while (pos < tokens.size() && !tokens.get(pos).equals("]")) {
            items.add(indexItem());
            if (pos < tokens.size() && tokens.get(pos).equals(",")) {
                tuple = true;
                pos++;
            }
        }
        if (tuple) {
            return items;
        }
        Object one = items.get(0);
        return one instanceof PyList l ? Functions.call("asarray", List.of(l), Map.of(), state) : one;
    }

    private Object indexItem() {
        Object[] parts = new Object[3];
        int part = 0;
        boolean slice = false;
        while (pos < tokens.size() && !tokens.get(pos).equals(",") && !tokens.get(pos).equals("]")) {
            if (tokens.get(pos).equals(":")) {
                slice = true;
                part++;
                pos++;
            } else {
                parts[part] = value(expr());
            }
        }
        if (!slice) {
            return parts[0];
        }
        return new Slice((Long) parts[0], (Long) parts[1], (Long) parts[2]);
    }

    private Object atom() {
        String t = tokens.get(pos++);
        switch (t) {
            case "(" -> {
                List<Object> items = new ArrayList<>();
                boolean comma = false;
                while (!tokens.get(pos).equals(")")) {
                    items.add(value(expr()));
                    if (tokens.get(pos).equals(",")) {
                        comma = true;
                        pos++;
                    }
                }
                pos++;
                return comma || items.isEmpty() ? java.util.Collections.unmodifiableList(items) : items.get(0);
            }
            case "[" -> {
                PyList items = new PyList();
                while (!tokens.get(pos).equals("]")) {
                    items.add(value(expr()));
                    if (tokens.get(pos).equals(",")) {
                        pos++;
                    }
                }
                pos++;
                return items;
            }
            case "True" -> {
                return true;
            }
            case "False" -> {
                return false;
            }
            case "None" -> {
                return null;
            }
            case "np" -> {
                return new Module("");
            }
            case "bool" -> {
                return NpType.BOOL;
            }
            default -> {
                if (t.startsWith("'")) {
                    return t.substring(1, t.length() - 1);
                }
                if (Character.isDigit(t.charAt(0))) {
                    return t.contains(".") || t.contains("e") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
                }
                if (!names.containsKey(t)) {
                    throw new IllegalArgumentException("unknown name " + t);
                }
                return names.get(t);
            }
        }
    }

    /** A module attribute used as a value: a dtype, a constant. */
    private static Object value(Object v) {
        if (v instanceof Module m) {
            NpType t = NpType.byName(m.path().equals("bool_") ? "bool" : m.path());
            if (t != null) {
                return t;
            }
            return switch (m.path()) {
                case "nan" -> Double.NaN;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "pi" -> Math.PI;
                case "newaxis" -> null;
                default -> v;
            };
        }
        return v;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == 'e'
                        || (s.charAt(j) == '-' || s.charAt(j) == '+') && s.charAt(j - 1) == 'e')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (c == '\'') {
                int j = s.indexOf('\'', i + 1);
                out.add(s.substring(i, j + 1));
                i = j + 1;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=").contains(two)) {
                    out.add(two);
                    i += 2;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            }
        }
        return out;
    }
}
