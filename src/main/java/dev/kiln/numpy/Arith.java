package dev.kiln.numpy;

import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Python's operators on arrays, as NumPy 2 evaluates them: operands broadcast against each other, the result
 * type promoted as {@link Promotion} says, the arithmetic done in that type (float32 rounded at every
 * operation, int32 wrapping), {@link Kernels} holding the element functions. A result with no dimensions is
 * a NumPy scalar, as NumPy's operators return.
 *
 * <p>Booleans: {@code +} is logical or, {@code *} logical and, {@code -} an error; {@code //}, {@code %} and
 * {@code **} of two booleans compute in int64 (NumPy uses int8).
 */
public final class Arith {
    private static final Map<String, String> UFUNC = Map.ofEntries(Map.entry("+", "add"), Map.entry("-", "subtract"),
            Map.entry("*", "multiply"), Map.entry("/", "divide"), Map.entry("//", "floor_divide"),
            Map.entry("%", "remainder"), Map.entry("**", "power"), Map.entry("&", "bitwise_and"),
            Map.entry("|", "bitwise_or"), Map.entry("^", "bitwise_xor"), Map.entry("maximum", "maximum"),
            Map.entry("minimum", "minimum"));

    private Arith() {}

    /**
     * {@code a op b} for op one of {@code + - * / // % ** @ == != < <= > >= & | ^}; each operand an
     * {@link NdArray} or a Python scalar (Long, Double, Boolean), at least one an NdArray.
     *
     * @throws NumpyException with NumPy's message when the shapes do not broadcast or the types do not support
     *     the operator
     */
    public static Object binary(String op, Object a, Object b) {
        if (op.equals("@")) {
            return LinAlg.matmul(Operand.of(a).array(), Operand.of(b).array());
        }
        return compute(op, Operand.of(a), Operand.of(b));
    }

    /** {@code -a}, {@code +a} or {@code ~a}. */
    public static Object unary(String op, Object a) {
        NdArray x = Operand.of(a).array();
        NdArray out;
        switch (op) {
            case "-" -> {
                if (x.dtype() == NpType.BOOL) {
                    throw NumpyException.type("The numpy boolean negative, the `-` operator, is not supported, use "
                            + "the `~` operator or the logical_not function instead.");
                }
                out = negate(x);
            }
            case "+" -> out = x.copy();
            case "~" -> {
                if (x.dtype().isFloat()) {
                    throw unsupported("invert");
                }
                out = x.dtype() == NpType.BOOL ? x.astype(NpType.BOOL) : x.copy();
                for (int i = 0; i < out.longs.length; i++) {
                    out.longs[i] = x.dtype() == NpType.BOOL ? 1 - out.longs[i] : Casts.wrap(~out.longs[i], x.dtype());
                }
            }
            default -> throw new IllegalArgumentException("not a unary operator: " + op);
        }
        return out.ndim() == 0 ? out.asScalar() : out;
    }

    /**
     * {@code target op= other}, changing {@code target} in place (and its version): the result cast back to
     * the target's dtype, refused as NumPy refuses it when that loses the kind ({@code int_array += 1.5}).
     *
     * @return the target
     */
    public static NdArray inPlace(String op, NdArray target, Object other) {
        NdArray result = Operand.of(binary(op, target, other)).array();
        if (result.dtype().kind() > target.dtype().kind()) {
            throw new NumpyException("UFuncTypeError", "Cannot cast ufunc '" + UFUNC.getOrDefault(op, op)
                    + "' output from dtype('" + result.dtype() + "') to dtype('" + target.dtype()
                    + "') with casting rule 'same_kind'", null);
        }
        int[] shape = Shapes.broadcast(target.shapeRef(), result.shapeRef());
        if (!java.util.Arrays.equals(shape, target.shapeRef())) {
            throw new NumpyException("non-broadcastable output operand with shape " + Shapes.str(target.shapeRef())
                    + " doesn't match the broadcast shape " + Shapes.str(shape));
        }
        Indexing.fill(target, result);
        target.changed();
        return target;
    }

    /** {@code maximum}, {@code minimum} and the operators as functions: {@code np.add(a, b)} and the like. */
    static Object function(String op, Object a, Object b) {
        return compute(op, Operand.of(a), Operand.of(b));
    }

    private static Object compute(String op, Operand x, Operand y) {
        NpType common = Promotion.common(x, y);
        int[] shape = Shapes.broadcast(x.array().shapeRef(), y.array().shapeRef());
        NdArray out;
        if (Kernels.isComparison(op)) {
            out = compare(op, x.array().as(common), y.array().as(common), shape);
        } else {
            NpType type = resultType(op, common);
            out = arithmetic(op, x.array().as(type), y.array().as(type), shape, common == NpType.BOOL);
        }
        return shape.length == 0 ? out.asScalar() : out;
    }

    private static NpType resultType(String op, NpType common) {
        boolean bitwise = op.equals("&") || op.equals("|") || op.equals("^");
        if (bitwise && common.isFloat()) {
            throw unsupported(UFUNC.get(op));
        }
        if (common == NpType.BOOL) {
            return switch (op) {
                case "-" -> throw NumpyException.type("numpy boolean subtract, the `-` operator, is not supported, "
                        + "use the bitwise_xor, the `^` operator, or the logical_xor function instead.");
                case "/" -> NpType.FLOAT64;
                case "//", "%", "**" -> NpType.INT64;
                default -> NpType.BOOL;
            };
        }
        return op.equals("/") && !common.isFloat() ? NpType.FLOAT64 : common;
    }

    private static NdArray arithmetic(String op, NdArray a, NdArray b, int[] shape, boolean logical) {
        int[] ia = Shapes.broadcastIndex(a.shapeRef(), shape);
        int[] ib = Shapes.broadcastIndex(b.shapeRef(), shape);
        int n = Shapes.size(shape);
        NpType type = a.dtype();
        if (type.isFloat()) {
            boolean f32 = type == NpType.FLOAT32;
            DoubleBinaryOperator f = Kernels.floats(op, f32);
            double[] out = new double[n];
            for (int k = 0; k < n; k++) {
                double v = f.applyAsDouble(a.doubles[ia == null ? k : ia[k]], b.doubles[ib == null ? k : ib[k]]);
                out[k] = f32 ? (float) v : v;
            }
            return NdArray.of(type, shape, out);
        }
        String intOp = logical ? (op.equals("+") ? "|" : op.equals("*") ? "&" : op) : op;
        LongBinaryOperator f = Kernels.longs(intOp);
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = f.applyAsLong(a.longs[ia == null ? k : ia[k]], b.longs[ib == null ? k : ib[k]]);
        }
        return NdArray.of(type, shape, out);
    }

    private static NdArray compare(String op, NdArray a, NdArray b, int[] shape) {
        int[] ia = Shapes.broadcastIndex(a.shapeRef(), shape);
        int[] ib = Shapes.broadcastIndex(b.shapeRef(), shape);
        int n = Shapes.size(shape);
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            int i = ia == null ? k : ia[k];
            int j = ib == null ? k : ib[k];
            boolean r = a.doubles != null ? Kernels.compare(op, a.doubles[i], b.doubles[j])
                    : Kernels.compare(op, a.longs[i], b.longs[j]);
            out[k] = r ? 1 : 0;
        }
        return NdArray.of(NpType.BOOL, shape, out);
    }

    private static NdArray negate(NdArray x) {
        if (x.doubles != null) {
            double[] out = new double[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = -x.doubles[i];
            }
            return NdArray.of(x.dtype(), x.shapeRef(), out);
        }
        long[] out = new long[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = -x.longs[i];
        }
        return NdArray.of(x.dtype(), x.shapeRef(), out);
    }

    static NumpyException unsupported(String ufunc) {
        return NumpyException.type("ufunc '" + ufunc + "' not supported for the input types, and the inputs could "
                + "not be safely coerced to any supported types according to the casting rule ''safe''");
    }
}
