package dev.kiln.dsl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Python's string formatting, to the character, for {@code kiln exec}'s {@code print} lines:
 * {@code format(value, spec)} (also the fields of {@code str.format} and f-strings), {@code template % args},
 * {@code str.format}, and a float's {@code repr}. The reference is CPython 3.11;
 * {@code scripts/reference/python_format.py} records its answers and {@code PyFormatTest} checks them.
 *
 * <p>Python values are Java values: {@code int} is {@link Long} (also {@link Integer} and {@link BigInteger}),
 * {@code float} is {@link Double}, {@code bool} is {@link Boolean}, {@code str} is {@link String}; a tuple on
 * the right of {@code %} is a {@link Tuple} and a dict a {@link Map}. Every other value belongs to the
 * interpreter, which describes it through a {@link Host}. Python's exceptions are {@link FormatError}s naming
 * the exception type, with Python's message.
 */
final class PyFormat {
    private PyFormat() {}

    /** What formatting needs to know about the values the interpreter owns: lists, arrays, NumPy scalars, None. */
    interface Host {
        /** Python's {@code str(v)}. */
        String str(Object v);

        /** Python's {@code repr(v)}. */
        String repr(Object v);

        /**
         * The Python number (Long, Double or Boolean) a value converts to for numeric formatting, e.g. a NumPy
         * float32 scalar to its value as a Double; null if it is not a number.
         */
        Object number(Object v);

        /** Python's name of the value's type for messages, e.g. {@code numpy.ndarray}, {@code list}, {@code NoneType}. */
        String typeName(Object v);
    }

    /**
     * A Python tuple as the right operand of {@code %}: its items are the arguments, in order (null is allowed,
     * for an interpreter that represents None so; its host describes it).
     */
    record Tuple(List<Object> items) {
        Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }

        static Tuple of(Object... items) {
            return new Tuple(Arrays.asList(items));
        }
    }

    /** A Python exception raised while formatting: its type ({@code ValueError}, {@code TypeError}, ...) and message. */
    static final class FormatError extends RuntimeException {
        private final String pythonType;

        FormatError(String pythonType, String message) {
            super(message);
            this.pythonType = pythonType;
        }

        /** {@code ValueError}, {@code TypeError}, {@code KeyError}, {@code IndexError} or {@code OverflowError}. */
        String pythonType() {
            return pythonType;
        }

        /** The last line of Python's traceback, e.g. {@code ValueError: Single '}' encountered in format string}. */
        @Override
        public String toString() {
            return pythonType + ": " + getMessage();
        }
    }

    /** Python's {@code format(value, spec)}, also what a {@code {:spec}} field of str.format or an f-string prints. */
    static String formatValue(Object value, String spec, Host host) {
        return PyFormatValues.format(value, spec, host);
    }

    /**
     * Python's {@code template % args}. {@code args} is a {@link Tuple} for several arguments, a {@link Map} of
     * names for {@code %(name)s} conversions, or else the single argument.
     */
    static String percent(String template, Object args, Host host) {
        return PyPercentFormat.format(template, args, host);
    }

    /** Python's {@code template.format(*args, **kwargs)}; attribute and index lookups in fields are refused. */
    static String format(String template, List<Object> args, Map<String, Object> kwargs, Host host) {
        return PyStrFormat.format(template, args, kwargs, host);
    }

    /** Python's {@code repr(v)} of a float: the shortest digits that read back, e.g. 0.1, 1e-06, 1e+16, 100.0. */
    static String repr(double v) {
        return PyFloatFormat.repr(v);
    }

    /** Python's {@code str(v)} of a float, the same as its repr. */
    static String str(double v) {
        return PyFloatFormat.repr(v);
    }

    /** Python's {@code str(v)} of any value. */
    static String str(Object v, Host host) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double || v instanceof Float) {
            return repr(((Number) v).doubleValue());
        }
        BigInteger i = integerValue(v);
        return i != null ? i.toString() : host.str(v);
    }

    /** Python's {@code repr(v)} of any value. */
    static String repr(Object v, Host host) {
        return v instanceof String s ? PyStringRepr.repr(s) : isBuiltin(v) ? str(v, host) : host.repr(v);
    }

    /** Python's {@code ascii(v)}: the repr with every character beyond ASCII escaped. */
    static String ascii(Object v, Host host) {
        return PyStringRepr.escapeNonAscii(repr(v, host));
    }

    static FormatError error(String pythonType, String message) {
        return new FormatError(pythonType, message);
    }

    static boolean isBuiltin(Object v) {
        return v instanceof String || v instanceof Boolean || v instanceof Double || v instanceof Float
                || integerValue(v) != null;
    }

    /** The value as a Python int when it is one (bool aside), else null. */
    static BigInteger integerValue(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        return v instanceof BigInteger b ? b : null;
    }

    /** Python's {@code float(i)}: rounded to nearest, ties to even, refusing what no double holds. */
    static double toDouble(BigInteger i) {
        double d = i.doubleValue();
        if (Double.isInfinite(d)) {
            throw error("OverflowError", "int too large to convert to float");
        }
        return d;
    }

    /** The first {@code precision} code points of {@code s}, all of it when precision is negative. */
    static String truncate(String s, int precision) {
        if (precision < 0 || s.codePointCount(0, s.length()) <= precision) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, precision));
    }
}
