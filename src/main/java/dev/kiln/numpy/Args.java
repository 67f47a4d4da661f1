package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A call's arguments bound to its parameter names as Python binds them (positional first, then keywords),
 * with conversions to what a function needs and TypeErrors/ValueErrors naming the argument.
 */
final class Args {
    private final String function;
    private final List<String> names;
    private final Object[] values;
    private final boolean[] given;

    /** Binds {@code args} and {@code kwargs} of {@code function} to {@code names}. */
    Args(String function, List<Object> args, Map<String, Object> kwargs, String... names) {
        this.function = function;
        this.names = Arrays.asList(names);
        this.values = new Object[names.length];
        this.given = new boolean[names.length];
        List<Object> positional = args == null ? List.of() : args;
        if (positional.size() > names.length) {
            throw new NumpyException("TypeError", function + "() takes at most " + names.length
                    + " positional arguments (" + positional.size() + " given)", null);
        }
        for (int i = 0; i < positional.size(); i++) {
            values[i] = positional.get(i);
            given[i] = true;
        }
        if (kwargs != null) {
            for (Map.Entry<String, Object> e : kwargs.entrySet()) {
                int i = this.names.indexOf(e.getKey());
                if (i < 0) {
                    throw new NumpyException("TypeError", function + "() got an unexpected keyword argument '"
                            + e.getKey() + "'", e.getKey());
                }
                if (given[i]) {
                    throw new NumpyException("TypeError", function + "() got multiple values for argument '"
                            + e.getKey() + "'", e.getKey());
                }
                values[i] = e.getValue();
                given[i] = true;
            }
        }
    }

    /** Positional arguments that may also come as one tuple ({@code reshape(2, 3)} or {@code reshape((2, 3))}). */
    static List<Object> spread(List<Object> args) {
        if (args.size() == 1 && args.get(0) instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return args;
    }

    boolean has(String name) {
        int i = index(name);
        return given[i] && values[i] != null;
    }

    Object get(String name) {
        return values[index(name)];
    }

    Object required(String name) {
        int i = index(name);
        if (!given[i]) {
            throw new NumpyException("TypeError", function + "() missing required argument '" + name + "' (pos "
                    + (i + 1) + ")", name);
        }
        return values[i];
    }

    /** An array argument: an NdArray, or a Python scalar or list made into one. */
    NdArray array(String name) {
        return asArray(required(name), name);
    }

    NdArray asArray(Object v, String name) {
        if (v instanceof NdArray a) {
            return a;
        }
        if (v == null || v instanceof String || v instanceof NpType) {
            throw new NumpyException("TypeError", function + "(): argument '" + name + "' must be an array, not "
                    + PyValues.typeName(v), name);
        }
        return PyValues.toArray(v, null);
    }

    /** An axis: null for None or absent. */
    Integer axis(String name) {
        if (!has(name)) {
            return null;
        }
        return (int) integer(name, 0);
    }

    /** A dtype: an NpType, a name ({@code "float32"}) or absent (null). */
    NpType dtype(String name) {
        if (!has(name)) {
            return null;
        }
        return toType(get(name), name);
    }

    static NpType toType(Object v, String name) {
        if (v instanceof NpType t) {
            return t;
        }
        if (v instanceof String s && NpType.byName(s) != null) {
            return NpType.byName(s);
        }
        throw new NumpyException("TypeError", "data type " + (v instanceof String s ? "'" + s + "'"
                : PyValues.typeName(v)) + " not understood", name);
    }

    /** A shape: an int or a tuple/list of ints. */
    int[] shape(String name) {
        return toShape(required(name), name);
    }

    static int[] toShape(Object v, String name) {
        List<Long> dims = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object d : l) {
                dims.add(toLong(d, name));
            }
        } else {
            dims.add(toLong(v, name));
        }
        return Shapes.of(dims);
    }

    long integer(String name, long fallback) {
        return has(name) ? toLong(get(name), name) : fallback;
    }

    double real(String name, double fallback) {
        if (!has(name)) {
            return fallback;
        }
        Object v = get(name);
        if (v instanceof NdArray a && a.size() == 1) {
            return a.doubleAt(0);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new NumpyException("TypeError", "must be real number, not " + PyValues.typeName(v), name);
    }

    boolean flag(String name, boolean fallback) {
        if (!has(name)) {
            return fallback;
        }
        Object v = get(name);
        return v instanceof Boolean b ? b : toLong(v, name) != 0;
    }

    String string(String name) {
        Object v = required(name);
        if (v instanceof String s) {
            return s;
        }
        throw new NumpyException("TypeError", function + "(): argument '" + name + "' must be str, not "
                + PyValues.typeName(v), name);
    }

    static long toLong(Object v, String name) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof NdArray a && a.size() == 1 && !a.dtype().isFloat()) {
            return a.longAt(0);
        }
        throw new NumpyException("TypeError", "'" + PyValues.typeName(v) + "' object cannot be interpreted as an "
                + "integer", name);
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no parameter " + name + " in " + function);
        }
        return i;
    }
}
