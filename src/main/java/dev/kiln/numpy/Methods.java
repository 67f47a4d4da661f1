package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The attributes and methods of an array that TF1 programs use: {@code shape}, {@code dtype}, {@code size},
 * {@code ndim}, {@code T}; {@code astype}, {@code reshape}, {@code copy}, {@code flatten}, {@code ravel},
 * {@code transpose}, {@code squeeze}, {@code tolist}, {@code item}, {@code fill}, the reductions ({@code sum},
 * {@code mean}, {@code max}, {@code min}, {@code argmax}, {@code argmin}, {@code std}, {@code var},
 * {@code prod}, {@code any}, {@code all}), {@code dot}, {@code clip}, {@code round}, {@code argsort} and
 * {@code sort} (in place).
 */
final class Methods {
    private Methods() {}

    static Object attribute(NdArray a, String name) {
        return switch (name) {
            case "shape" -> Shapes.tuple(a.shapeRef());
            case "dtype" -> a.dtype();
            case "size" -> (long) a.size();
            case "ndim" -> (long) a.ndim();
            case "T" -> Shaping.transpose(a, null);
            case "itemsize" -> (long) a.dtype().itemSize();
            case "nbytes" -> (long) a.dtype().itemSize() * a.size();
            default -> throw new NumpyException("AttributeError", "'numpy.ndarray' object has no attribute '" + name
                    + "'", name);
        };
    }

    static Object call(NdArray a, String name, List<Object> args, Map<String, Object> kwargs) {
        List<Object> positional = args == null ? List.of() : args;
        switch (name) {
            case "reshape":
                return Shaping.reshape(a, Args.spread(positional));
            case "transpose": {
                List<Object> axes = Args.spread(positional);
                return Shaping.transpose(a, axes.isEmpty() ? null : axes.stream()
                        .mapToInt(o -> (int) Args.toLong(o, "axes")).toArray());
            }
            case "sum", "mean", "max", "min", "argmax", "argmin", "prod", "any", "all", "std", "var":
                return reduce(name, a, new Args(name, positional, kwargs, "axis", "dtype", "out", "keepdims", "ddof"));
            default:
                break;
        }
        Args p = switch (name) {
            case "astype" -> new Args(name, positional, kwargs, "dtype", "order", "casting", "subok", "copy");
            case "clip" -> new Args(name, positional, kwargs, "min", "max");
            case "round" -> new Args(name, positional, kwargs, "decimals");
            case "dot" -> new Args(name, positional, kwargs, "b");
            case "fill" -> new Args(name, positional, kwargs, "value");
            case "squeeze", "argsort", "sort" -> new Args(name, positional, kwargs, "axis", "kind");
            default -> new Args(name, positional, kwargs);
        };
        return switch (name) {
            case "astype" -> a.astype(Args.toType(p.required("dtype"), "dtype"));
            case "copy" -> a.copy();
            case "flatten", "ravel" -> a.copy().asArray().reshaped(new int[] {a.size()});
            case "squeeze" -> Shaping.squeeze(a, p.axis("axis"));
            case "tolist" -> toList(a, 0, 0);
            case "item" -> a.item();
            case "fill" -> {
                Indexing.fill(a, Operand.of(p.required("value")).array());
                a.changed();
                yield null;
            }
            case "dot" -> LinAlg.dot(a, p.required("b"));
            case "clip" -> Elementwise.clip(a, p.get("min"), p.get("max"));
            case "round" -> Elementwise.round(a, (int) p.integer("decimals", 0));
            case "argsort" -> Sorting.argsort(a, p.has("axis") ? p.axis("axis") : Integer.valueOf(-1));
            case "sort" -> {
                Indexing.fill(a, Sorting.sort(a, p.has("axis") ? p.axis("axis") : Integer.valueOf(-1)));
                a.changed();
                yield null;
            }
            default -> throw new NumpyException("AttributeError", "'numpy.ndarray' object has no attribute '" + name
                    + "'", name);
        };
    }

    /** A reduction as a method or function: axis, dtype, keepdims and (for var and std) ddof. */
    static Object reduce(String name, NdArray a, Args p) {
        NdArray x = p.has("dtype") ? a.astype(p.dtype("dtype")) : a;
        Integer axis = p.axis("axis");
        Object r = Reductions.reduce(name, x, axis, (int) p.integer("ddof", 0));
        if (p.flag("keepdims", false)) {
            int[] shape = a.shape();
            if (axis == null) {
                Arrays.fill(shape, 1);
            } else {
                shape[Shapes.axis(axis, a.ndim())] = 1;
            }
            return ((NdArray) r).asArray().reshaped(shape);
        }
        return r;
    }

    /** {@code a.tolist()}: nested Lists of Python values; a 0-d array gives its value. */
    private static Object toList(NdArray a, int axis, int offset) {
        if (axis == a.ndim()) {
            return a.pythonValue(offset);
        }
        int[] strides = Shapes.strides(a.shapeRef());
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < a.shapeRef()[axis]; i++) {
            out.add(toList(a, axis + 1, offset + i * strides[axis]));
        }
        return out;
    }
}
