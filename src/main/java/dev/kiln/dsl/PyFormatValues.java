package dev.kiln.dsl;

import java.math.BigInteger;

/**
 * {@code format(value, spec)} for each kind of Python value: {@code str}, {@code int} (and {@code bool}, which
 * formats as an int except with an empty spec), {@code float}, and through the host every other value. A
 * number the interpreter owns, such as a NumPy scalar, formats as the Python number it converts to, even with
 * an empty spec, as NumPy's {@code __format__} does: {@code '{}'.format(np.float32(0.1))} is
 * {@code 0.10000000149011612}, though {@code str} of it is {@code 0.1}. Any other value gives its {@code str}
 * for an empty spec and refuses any other spec the way {@code object.__format__} does.
 */
final class PyFormatValues {
    private PyFormatValues() {}

    static String format(Object value, String spec, PyFormat.Host host) {
        if (value instanceof String s) {
            return spec.isEmpty() ? s : string(s, PyFormatSpec.parse(spec, "str", 's', '<'));
        }
        if (value instanceof Boolean b) {
            return spec.isEmpty() ? PyFormat.str(b, host) : integer(b ? BigInteger.ONE : BigInteger.ZERO, spec, "bool");
        }
        BigInteger i = PyFormat.integerValue(value);
        if (i != null) {
            return integer(i, spec, "int");
        }
        if (value instanceof Double || value instanceof Float) {
            return floating(((Number) value).doubleValue(), PyFormatSpec.parse(spec, "float", 0, '>'));
        }
        Object number = host.number(value);
        if (number instanceof Boolean || number instanceof Double || PyFormat.integerValue(number) != null) {
            return format(number, spec, host);
        }
        if (spec.isEmpty()) {
            return host.str(value);
        }
        throw PyFormat.error("TypeError", "unsupported format string passed to " + host.typeName(value) + ".__format__");
    }

    /** {@code format(s, spec)}: type s or none; precision truncates; no sign, {@code z}, {@code #} or {@code =}. */
    static String string(String s, PyFormatSpec spec) {
        if (spec.type() != 's') {
            throw PyFormatSpec.unknownType(spec.type(), "str");
        }
        if (spec.sign() == ' ') {
            throw PyFormat.error("ValueError", "Space not allowed in string format specifier");
        }
        if (spec.sign() != 0) {
            throw PyFormat.error("ValueError", "Sign not allowed in string format specifier");
        }
        if (spec.noNegativeZero()) {
            throw PyFormat.error("ValueError", "Negative zero coercion (z) not allowed in string format specifier");
        }
        if (spec.alternate()) {
            throw PyFormat.error("ValueError", "Alternate form (#) not allowed in string format specifier");
        }
        if (spec.align() == '=') {
            throw PyFormat.error("ValueError", "'=' alignment not allowed in string format specifier");
        }
        return pad(PyFormat.truncate(s, spec.precision()), spec);
    }

    /** {@code s} padded with the spec's fill to its width, placed by its alignment. */
    static String pad(String s, PyFormatSpec spec) {
        int padding = Math.max(0, spec.width() - s.codePointCount(0, s.length()));
        int left = spec.align() == '>' ? padding : spec.align() == '^' ? padding / 2 : 0;
        String fill = Character.toString(spec.fill());
        return fill.repeat(left) + s + fill.repeat(padding - left);
    }

    /** {@code format(i, spec)} for an int or a bool ({@code typeName} says which, for messages). */
    static String integer(BigInteger value, String text, String typeName) {
        PyFormatSpec spec = PyFormatSpec.parse(text, typeName, 'd', '>');
        int type = spec.type();
        switch (type) {
            case 'e', 'E', 'f', 'F', 'g', 'G', '%' -> {
                return floating(PyFormat.toDouble(value), spec);
            }
            case 0, 'd', 'n', 'b', 'o', 'x', 'X', 'c' -> { }
            default -> throw PyFormatSpec.unknownType(type, typeName);
        }
        if (spec.precision() >= 0) {
            throw PyFormat.error("ValueError", "Precision not allowed in integer format specifier");
        }
        if (spec.noNegativeZero()) {
            throw PyFormat.error("ValueError", "Negative zero coercion (z) not allowed in integer format specifier");
        }
        if (type == 'c') {
            return character(value, spec);
        }
        int radix = switch (type) {
            case 'b' -> 2;
            case 'o' -> 8;
            case 'x', 'X' -> 16;
            default -> 10;
        };
        String digits = value.abs().toString(radix);
        String prefix = "";
        if (type == 'X') {
            digits = digits.toUpperCase();
        }
        if (spec.alternate() && radix != 10) {
            prefix = "0" + (char) type;
        }
        return PyNumberLayout.layOut(spec, value.signum() < 0, prefix, digits, "");
    }

    private static String character(BigInteger value, PyFormatSpec spec) {
        if (spec.sign() != 0) {
            throw PyFormat.error("ValueError", "Sign not allowed with integer format specifier 'c'");
        }
        if (spec.alternate()) {
            throw PyFormat.error("ValueError", "Alternate form (#) not allowed with integer format specifier 'c'");
        }
        if (value.bitLength() > 63) {
            throw PyFormat.error("OverflowError", "Python int too large to convert to C long");
        }
        if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(0x10FFFF)) > 0) {
            throw PyFormat.error("OverflowError", "%c arg not in range(0x110000)");
        }
        return PyNumberLayout.layOut(spec, false, "", "", Character.toString(value.intValue()));
    }

    /** {@code format(v, spec)} for a float; an empty type is repr without a precision, else g keeping a ".0". */
    static String floating(double v, PyFormatSpec spec) {
        int type = spec.type();
        char style;
        boolean addDotZero = false;
        String suffix = "";
        switch (type) {
            case 0 -> {
                style = spec.precision() < 0 ? 'r' : 'g';
                addDotZero = true;
            }
            case 'e', 'f', 'g' -> style = (char) type;
            case 'E', 'F', 'G' -> style = Character.toLowerCase((char) type);
            case 'n' -> style = 'g';
            case '%' -> {
                style = 'f';
                v *= 100;
                suffix = "%";
            }
            default -> throw PyFormatSpec.unknownType(type, "float");
        }
        int precision = style == 'r' ? 0 : spec.precision() < 0 ? 6 : spec.precision();
        boolean upper = type == 'E' || type == 'F' || type == 'G';
        String text = PyFloatFormat.format(v, style, precision, spec.alternate(), addDotZero, upper,
                spec.noNegativeZero()) + suffix;
        boolean negative = text.startsWith("-");
        if (negative) {
            text = text.substring(1);
        }
        int digitsEnd = 0;
        while (digitsEnd < text.length() && Character.isDigit(text.charAt(digitsEnd))) {
            digitsEnd++;
        }
        return PyNumberLayout.layOut(spec, negative, "", text.substring(0, digitsEnd), text.substring(digitsEnd));
    }
}
