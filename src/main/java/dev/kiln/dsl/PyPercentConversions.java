package dev.kiln.dsl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * One conversion of {@code template % args}: the argument made into text by its letter, then signed, prefixed
 * and padded. Integer letters take anything with an integer value ({@code %d} also truncates a float); float
 * letters take any real number; {@code %c} takes a code point or a one-character str.
 */
final class PyPercentConversions {
    private PyPercentConversions() {}

    /** A conversion's flags, width and precision (-1 when not given) and letter. */
    record Directive(boolean left, boolean plus, boolean blank, boolean alternate, boolean zero, int width,
            int precision, char conversion) {}

    static String convert(Directive d, Object value, PyFormat.Host host) {
        return switch (d.conversion()) {
            case 's' -> pad(PyFormat.truncate(PyFormat.str(value, host), d.precision()), d);
            case 'r' -> pad(PyFormat.truncate(PyFormat.repr(value, host), d.precision()), d);
            case 'a' -> pad(PyFormat.truncate(PyFormat.ascii(value, host), d.precision()), d);
            case 'c' -> pad(character(value, host), d);
            case 'd', 'i', 'u', 'o', 'x', 'X' -> number(integer(d, value, host), d);
            default -> number(floating(d, value, host), d);
        };
    }

    /** Text that is not a number: padded with spaces, on the right for {@code -}. */
    private static String pad(String s, Directive d) {
        String padding = " ".repeat(Math.max(0, d.width() - s.codePointCount(0, s.length())));
        return d.left() ? s + padding : padding + s;
    }

    /**
     * A number's text (with its minus sign and its {@code 0x} or {@code 0o} prefix) signed per the flags and
     * padded: zeros go between sign and prefix and the digits, spaces left or, for {@code -}, right.
     */
    private static String number(String body, Directive d) {
        String sign = "";
        if (body.startsWith("-")) {
            sign = "-";
            body = body.substring(1);
        } else if (d.plus()) {
            sign = "+";
        } else if (d.blank()) {
            sign = " ";
        }
        String prefix = "";
        char c = d.conversion();
        if (d.alternate() && (c == 'x' || c == 'X' || c == 'o')) {
            prefix = body.substring(0, 2);
            body = body.substring(2);
        }
        int padding = Math.max(0, d.width() - sign.length() - prefix.length() - body.length());
        if (d.left()) {
            return sign + prefix + body + " ".repeat(padding);
        }
        if (d.zero()) {
            return sign + prefix + "0".repeat(padding) + body;
        }
        return " ".repeat(padding) + sign + prefix + body;
    }

    private static String integer(Directive d, Object value, PyFormat.Host host) {
        char c = d.conversion();
        BigInteger i = integerArgument(value, c, host);
        String digits = i.abs().toString(c == 'o' ? 8 : c == 'x' || c == 'X' ? 16 : 10);
        if (c == 'X') {
            digits = digits.toUpperCase();
        }
        if (d.precision() > digits.length()) {
            digits = "0".repeat(d.precision() - digits.length()) + digits;
        }
        String prefix = d.alternate() && (c == 'o' || c == 'x' || c == 'X') ? "0" + c : "";
        return (i.signum() < 0 ? "-" : "") + prefix + digits;
    }

    /** The argument's integer value: {@code %o %x %X} want an integer, {@code %d} truncates a float too. */
    private static BigInteger integerArgument(Object value, char c, PyFormat.Host host) {
        Object v = PyFormat.isBuiltin(value) ? value : host.number(value);
        if (v instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        BigInteger i = PyFormat.integerValue(v);
        if (i != null) {
            return i;
        }
        boolean anyReal = c != 'o' && c != 'x' && c != 'X';
        if (anyReal && (v instanceof Double || v instanceof Float)) {
            double f = ((Number) v).doubleValue();
            if (Double.isNaN(f)) {
                throw PyFormat.error("ValueError", "cannot convert float NaN to integer");
            }
            if (Double.isInfinite(f)) {
                throw PyFormat.error("OverflowError", "cannot convert float infinity to integer");
            }
            return new BigDecimal(f).setScale(0, RoundingMode.DOWN).toBigInteger();
        }
        String typeName = typeName(value, host);
        throw PyFormat.error("TypeError", "%" + c + " format: "
                + (anyReal ? "a real number is required, not " : "an integer is required, not ") + typeName);
    }

    private static String floating(Directive d, Object value, PyFormat.Host host) {
        Object v = PyFormat.isBuiltin(value) ? value : host.number(value);
        double f;
        if (v instanceof Boolean b) {
            f = b ? 1 : 0;
        } else if (v instanceof Double || v instanceof Float) {
            f = ((Number) v).doubleValue();
        } else if (PyFormat.integerValue(v) != null) {
            f = PyFormat.toDouble(PyFormat.integerValue(v));
        } else {
            throw PyFormat.error("TypeError", "must be real number, not " + typeName(value, host));
        }
        char c = d.conversion();
        int precision = d.precision() < 0 ? 6 : d.precision();
        return PyFloatFormat.format(f, Character.toLowerCase(c), precision, d.alternate(), false,
                Character.isUpperCase(c), false);
    }

    private static String character(Object value, PyFormat.Host host) {
        if (value instanceof String s && s.codePointCount(0, s.length()) == 1) {
            return s;
        }
        Object v = value instanceof String || PyFormat.isBuiltin(value) ? value : host.number(value);
        BigInteger i = v instanceof Boolean b ? (b ? BigInteger.ONE : BigInteger.ZERO) : PyFormat.integerValue(v);
        if (i == null) {
            throw PyFormat.error("TypeError", "%c requires int or char");
        }
        if (i.signum() < 0 || i.compareTo(BigInteger.valueOf(0x10FFFF)) > 0) {
            throw PyFormat.error("OverflowError", "%c arg not in range(0x110000)");
        }
        return Character.toString(i.intValue());
    }

    private static String typeName(Object v, PyFormat.Host host) {
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Double || v instanceof Float) {
            return "float";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        return PyFormat.integerValue(v) != null ? "int" : host.typeName(v);
    }
}
