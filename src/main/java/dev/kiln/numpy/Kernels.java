package dev.kiln.numpy;

import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The element functions of the arithmetic operators, in floats or in integers, with NumPy's semantics: floor
 * division and remainder rounding toward negative infinity (Python's convention), integer division by zero
 * giving 0, float division by zero giving inf or nan. A float32 result is computed in float32: each float
 * function is applied to float values and its result rounded to float by the caller, which for + - * / and
 * sqrt is exactly float arithmetic.
 */
final class Kernels {
    private Kernels() {}

    /** The float function of {@code op}, {@code f32} when it works in float32 (floor division and remainder round each step). */
    static DoubleBinaryOperator floats(String op, boolean f32) {
        return switch (op) {
            case "+" -> Double::sum;
            case "-" -> (a, b) -> a - b;
            case "*" -> (a, b) -> a * b;
            case "/" -> (a, b) -> a / b;
            case "//" -> (a, b) -> floorDivide(a, b, f32);
            case "%" -> (a, b) -> remainder(a, b, f32);
            case "**" -> Math::pow;
            case "maximum" -> (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case "minimum" -> (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            default -> null;
        };
    }

    /** The integer function of {@code op}; the caller wraps results to int32. */
    static LongBinaryOperator longs(String op) {
        return switch (op) {
            case "+" -> Long::sum;
            case "-" -> (a, b) -> a - b;
            case "*" -> (a, b) -> a * b;
            case "//" -> (a, b) -> b == 0 ? 0 : Math.floorDiv(a, b);
            case "%" -> (a, b) -> b == 0 ? 0 : Math.floorMod(a, b);
            case "**" -> Kernels::power;
            case "&" -> (a, b) -> a & b;
            case "|" -> (a, b) -> a | b;
            case "^" -> (a, b) -> a ^ b;
            case "maximum" -> Math::max;
            case "minimum" -> Math::min;
            default -> null;
        };
    }

    /** A comparison of two floats (false whenever a NaN is involved, except {@code !=}). */
    static boolean compare(String op, double a, double b) {
        return switch (op) {
            case "==" -> a == b;
            case "!=" -> a != b;
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            default -> a >= b;
        };
    }

    static boolean compare(String op, long a, long b) {
        return switch (op) {
            case "==" -> a == b;
            case "!=" -> a != b;
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            default -> a >= b;
        };
    }

    static boolean isComparison(String op) {
        return switch (op) {
            case "==", "!=", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    private static long power(long base, long exp) {
        if (exp < 0) {
            throw new NumpyException("Integers to negative integer powers are not allowed.");
        }
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) {
                result *= base;
            }
            base *= base;
            exp >>= 1;
        }
        return result;
    }

    private static double r(double v, boolean f32) {
        return f32 ? (float) v : v;
    }

    /** NumPy's {@code npy_divmod}: the quotient, from fmod, snapped to an integer. */
    static double floorDivide(double a, double b, boolean f32) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double div = r(r(a - mod, f32) / b, f32);
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                div = r(div - 1, f32);
            }
        }
        if (div != 0) {
            double floor = Math.floor(div);
            if (r(div - floor, f32) > 0.5) {
                floor = r(floor + 1, f32);
            }
            return floor;
        }
        return Math.copySign(0.0, r(a / b, f32));
    }

    /** NumPy's {@code remainder}: fmod moved to the divisor's sign. */
    static double remainder(double a, double b, boolean f32) {
        if (b == 0) {
            return a % b;
        }
        double mod = a % b;
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod = r(mod + b, f32);
            }
            return mod;
        }
        return Math.copySign(0.0, b);
    }
}
