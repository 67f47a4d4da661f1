package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * NumPy's module functions by name ({@code "zeros"}, {@code "random.randn"}): the dispatcher the interpreter
 * calls, binding arguments as Python does and handing each call to the class that implements it.
 */
public final class Functions {
    private static final Set<String> REDUCTIONS = Set.of("mean", "sum", "max", "min", "amax", "amin", "argmax",
            "argmin", "std", "var", "prod", "any", "all");
    private static final Map<String, String> OPERATORS = Map.ofEntries(Map.entry("add", "+"),
            Map.entry("subtract", "-"), Map.entry("multiply", "*"), Map.entry("divide", "/"),
            Map.entry("true_divide", "/"), Map.entry("floor_divide", "//"), Map.entry("mod", "%"),
            Map.entry("remainder", "%"), Map.entry("power", "**"), Map.entry("equal", "=="),
            Map.entry("not_equal", "!="), Map.entry("less", "<"), Map.entry("less_equal", "<="),
            Map.entry("greater", ">"), Map.entry("greater_equal", ">="), Map.entry("maximum", "maximum"),
            Map.entry("minimum", "minimum"), Map.entry("logical_and", "&"), Map.entry("logical_or", "|"),
            Map.entry("logical_xor", "^"));
    private static final Set<String> OTHERS = Set.of("zeros", "ones", "empty", "full", "zeros_like", "ones_like",
            "empty_like", "full_like", "arange", "linspace", "eye", "identity", "array", "asarray", "copy", "load",
            "save", "savez", "dot", "matmul", "concatenate", "stack", "vstack", "hstack", "reshape", "transpose",
            "clip", "where", "round", "around", "allclose", "argsort", "sort", "unique", "squeeze", "expand_dims",
            "float32", "float64", "int32", "int64", "bool_", "count_nonzero", "shape", "size", "ndim",
            "logical_not", "isnan", "isinf", "isfinite");
    private static final List<String> UNARY = List.of("exp", "log", "log2", "log10", "log1p", "expm1", "sqrt",
            "tanh", "sin", "cos", "tan", "arctan", "sinh", "cosh", "abs", "absolute", "square", "negative", "sign",
            "floor", "ceil", "rint");

    private Functions() {}

    /** True if {@code np.<name>} is provided. */
    public static boolean exists(String name) {
        return names().contains(name);
    }

    /** Every provided name, {@code random.} ones included, sorted (for "did you mean" hints). */
    public static Set<String> names() {
        Set<String> all = new TreeSet<>(REDUCTIONS);
        all.addAll(OPERATORS.keySet());
        all.addAll(OTHERS);
        all.addAll(UNARY);
        for (String r : List.of("seed", "rand", "randn", "random", "random_sample", "ranf", "sample", "uniform",
                "normal", "standard_normal", "randint", "permutation", "shuffle", "choice")) {
            all.add("random." + r);
        }
        return Collections.unmodifiableSet(all);
    }

    /**
     * Calls {@code np.<name>(*args, **kwargs)}. Arguments are Long, Double, Boolean, String, NdArray, NpType,
     * {@code java.util.List} (a Python list or tuple, nested for nested ones) or null (None).
     *
     * @return an NdArray, a Python value (Long, Double, Boolean), an unmodifiable List (a Python tuple, as
     *     {@code np.where(cond)} returns; {@code tolist()} gives modifiable ArrayLists, Python lists), a
     *     {@code Map<String, NdArray>} ({@code np.load} of an {@code .npz}) or null (None)
     * @throws NumpyException for an unknown name or bad arguments, with NumPy's message
     */
    public static Object call(String name, List<Object> args, Map<String, Object> kwargs, NumpyState state) {
        List<Object> a = args == null ? List.of() : args;
        if (name.startsWith("random.") && RandomFunctions.has(name.substring(7))) {
            return RandomFunctions.call(name.substring(7), a, kwargs, state.random());
        }
        if (REDUCTIONS.contains(name)) {
            String method = name.equals("amax") ? "max" : name.equals("amin") ? "min" : name;
            Args p = new Args(name, a, kwargs, "a", "axis", "dtype", "out", "keepdims", "ddof");
            return Methods.reduce(method, p.array("a"), p);
        }
        if (OPERATORS.containsKey(name)) {
            Args p = new Args(name, a, kwargs, "x1", "x2");
            Object x = p.required("x1");
            Object y = p.required("x2");
            if (name.startsWith("logical_")) {
                x = Operand.of(x).array().astype(NpType.BOOL);
                y = Operand.of(y).array().astype(NpType.BOOL);
            }
            return Arith.function(OPERATORS.get(name), x, y);
        }
        if (UNARY.contains(name) || name.equals("isnan") || name.equals("isinf") || name.equals("isfinite")
                || name.equals("logical_not")) {
            Args p = new Args(name, a, kwargs, "x");
            return Elementwise.unary(name, p.array("x"));
        }
        if (name.equals("load") || name.equals("save") || name.equals("savez")) {
            return files(name, a, kwargs, state);
        }
        if (OTHERS.contains(name)) {
            return ArrayFunctions.call(name, a, kwargs);
        }
        throw new NumpyException("AttributeError", "module 'numpy' has no attribute '" + name + "'", null);
    }

    private static Object files(String name, List<Object> a, Map<String, Object> kwargs, NumpyState state) {
        switch (name) {
            case "load": {
                Args p = new Args(name, a, kwargs, "file", "mmap_mode", "allow_pickle");
                return NpyFiles.load(state, p.string("file"));
            }
            case "save": {
                Args p = new Args(name, a, kwargs, "file", "arr", "allow_pickle");
                NpyFiles.save(state, p.string("file"), p.array("arr"));
                return null;
            }
            default: {
                if (a.isEmpty() || !(a.get(0) instanceof String file)) {
                    throw new NumpyException("TypeError", "savez() needs a file name first", "file");
                }
                Map<String, NdArray> arrays = new LinkedHashMap<>();
                Args conv = new Args(name, List.of(), Map.of());
                for (int i = 1; i < a.size(); i++) {
                    arrays.put("arr_" + (i - 1), conv.asArray(a.get(i), "args"));
                }
                if (kwargs != null) {
                    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
                        if (arrays.containsKey(e.getKey())) {
                            throw new NumpyException("ValueError", "Cannot use un-named variables and keyword "
                                    + e.getKey(), e.getKey());
                        }
                        arrays.put(e.getKey(), conv.asArray(e.getValue(), e.getKey()));
                    }
                }
                NpyFiles.savez(state, file, arrays);
                return null;
            }
        }
    }

    /** The arrays of a sequence argument (a list or tuple of arrays, or an array's rows). */
    static List<NdArray> arrays(Args p, String name) {
        Object v = p.required(name);
        List<NdArray> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(p.asArray(o, name));
            }
        } else {
            NdArray a = p.asArray(v, name);
            for (int i = 0; i < a.shapeRef()[0]; i++) {
                out.add((NdArray) Operand.of(a.getItem((long) i)).array().asArray());
            }
        }
        return out;
    }
}
