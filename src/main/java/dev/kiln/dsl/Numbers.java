package dev.kiln.dsl;

/**
 * Arithmetic on plain numbers, as Python does it: ints ({@link Long}) stay ints under {@code + - * // %}
 * and {@code **} with a non-negative exponent; {@code /} and anything involving a float give a float.
 * Results Python would compute but a long or double cannot hold are errors, as is dividing by zero.
 */
final class Numbers {
    private Numbers() {}

    /** A problem with the arithmetic itself; the evaluator adds the operator's position. */
    static final class Error extends RuntimeException {
        Error(String message) {
            super(message, null, false, false);
        }
    }

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            try {
                return ints(op, x, y);
            } catch (ArithmeticException e) {
                throw new Error("the result of " + x + " " + op + " " + y + " is too large");
            }
        }
        double x = Values.toDouble(a);
        double y = Values.toDouble(b);
        double r = switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> {
                zero(y);
                yield x / y;
            }
            case "//" -> {
                zero(y);
                yield Math.floor(x / y);
            }
            case "%" -> {
                zero(y);
                double m = x % y;
                yield m != 0 && (m < 0) != (y < 0) ? m + y : m;
            }
            case "**" -> {
                if (x == 0 && y < 0) {
                    throw new Error("0.0 cannot be raised to a negative power");
                }
                double p = Math.pow(x, y);
                if (Double.isNaN(p)) {
                    throw new Error(Values.repr(a) + " ** " + Values.repr(b) + " is not a real number");
                }
                yield p;
            }
            default -> throw new Error("unsupported operand types for " + op + ": '" + Values.typeName(a)
                    + "' and '" + Values.typeName(b) + "'");
        };
        if (Double.isInfinite(r) || Double.isNaN(r)) {
            throw new Error("the result of " + Values.repr(a) + " " + op + " " + Values.repr(b) + " is too large");
        }
        return r;
    }

    private static Object ints(String op, long x, long y) {
        switch (op) {
            case "+":
                return Math.addExact(x, y);
            case "-":
                return Math.subtractExact(x, y);
            case "*":
                return Math.multiplyExact(x, y);
            case "/":
                zero(y);
                return (double) x / (double) y;
            case "//":
                zero(y);
                return Math.floorDiv(x, y);
            case "%":
                zero(y);
                return Math.floorMod(x, y);
            case "**":
                if (y < 0) {
                    return binary("**", (double) x, (double) y);
                }
                long result = 1;
                long base = x;
                long e = y;
                while (e > 0) {
                    if ((e & 1) != 0) {
                        result = Math.multiplyExact(result, base);
                    }
                    e >>= 1;
                    if (e > 0) {
                        base = Math.abs(base) <= 1 ? base * base : Math.multiplyExact(base, base);
                    }
                }
                return result;
            default:
                throw new Error("unsupported operand types for " + op + ": 'int' and 'int'");
        }
    }

    /** {@code -a}. */
    static Object negate(Object a) {
        if (a instanceof Long x) {
            if (x == Long.MIN_VALUE) {
                throw new Error("the result of -" + x + " is too large");
            }
            return -x;
        }
        return -(Double) a;
    }

    private static void zero(double y) {
        if (y == 0) {
            throw new Error("division by zero");
        }
    }
}
