package dev.kiln.dsl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code template % args}: conversions {@code d i u o x X e E f F g G c s r a} and {@code %%}, flags
 * {@code - + space # 0}, width and precision ({@code *} takes them from the arguments), {@code %(name)s}
 * against a mapping. Each conversion takes the next argument before its letter is checked, as CPython does,
 * so an unknown letter with no argument left complains about the arguments.
 */
final class PyPercentFormat {
    private PyPercentFormat() {}

    /** The arguments still to convert: a tuple's items, or one value (the operand itself, or a mapping's entry). */
    private static final class Arguments {
        private final Map<?, ?> mapping;
        private final boolean mappingLike;
        private List<Object> items;
        private int next;

        Arguments(Object args, PyFormat.Host host) {
            mapping = args instanceof Map<?, ?> m ? m : null;
            items = args instanceof PyFormat.Tuple t ? t.items() : Collections.singletonList(args);
            // CPython does not complain that an operand with items went unused: a dict, a list, an array, a NumPy
            // scalar (all of which the interpreter owns, None aside).
            mappingLike = mapping != null || !(args instanceof PyFormat.Tuple) && !PyFormat.isBuiltin(args)
                    && !"NoneType".equals(host.typeName(args));
        }

        Object next() {
            if (next >= items.size()) {
                throw PyFormat.error("TypeError", "not enough arguments for format string");
            }
            return items.get(next++);
        }

        /** After {@code %(name)}, the entry is the one argument of the conversion. */
        void useEntry(String key) {
            if (mapping == null) {
                throw PyFormat.error("TypeError", "format requires a mapping");
            }
            if (!mapping.containsKey(key)) {
                throw PyFormat.error("KeyError", PyStringRepr.repr(key));
            }
            items = Collections.singletonList(mapping.get(key));
            next = 0;
        }

        boolean allUsed() {
            return mappingLike || next >= items.size();
        }
    }

    static String format(String t, Object args, PyFormat.Host host) {
        Arguments arguments = new Arguments(args, host);
        StringBuilder out = new StringBuilder(t.length() + 16);
        int i = 0;
        while (i < t.length()) {
            int percent = t.indexOf('%', i);
            if (percent < 0) {
                out.append(t, i, t.length());
                break;
            }
            out.append(t, i, percent);
            i = percent + 1;
            if (i < t.length() && t.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            Cursor at = new Cursor(t, i);
            PyPercentConversions.Directive d = directive(at, arguments);
            out.append(PyPercentConversions.convert(d, arguments.next(), host));
            i = at.i + 1;
        }
        if (!arguments.allUsed()) {
            throw PyFormat.error("TypeError", "not all arguments converted during string formatting");
        }
        return out.toString();
    }

    /** A position in the template. */
    private static final class Cursor {
        final String t;
        int i;

        Cursor(String t, int i) {
            this.t = t;
            this.i = i;
        }

        boolean at(char c) {
            return i < t.length() && t.charAt(i) == c;
        }
    }

    /**
     * The directive after a {@code %}: key, flags, width, precision, one length modifier (ignored), and the
     * letter, which the cursor is left on. The letter is checked after its argument is taken.
     */
    private static PyPercentConversions.Directive directive(Cursor at, Arguments arguments) {
        if (at.at('(')) {
            int close = closingParenthesis(at.t, at.i);
            arguments.useEntry(at.t.substring(at.i + 1, close));
            at.i = close + 1;
        }
        int flagsStart = at.i;
        while (at.i < at.t.length() && "-+ #0".indexOf(at.t.charAt(at.i)) >= 0) {
            at.i++;
        }
        String flags = at.t.substring(flagsStart, at.i);
        boolean left = flags.contains("-");
        int width;
        if (at.at('*')) {
            at.i++;
            width = star(arguments.next());
            left |= width < 0;
            width = Math.abs(width);
        } else {
            width = digits(at, "width");
        }
        int precision = precision(at, arguments);
        if (at.at('h') || at.at('l') || at.at('L')) {
            at.i++;
        }
        if (at.i >= at.t.length()) {
            throw PyFormat.error("ValueError", "incomplete format");
        }
        int letter = at.t.codePointAt(at.i);
        if ("diuoxXeEfFgGcsra".indexOf(letter) < 0) {
            arguments.next();
            throw PyFormat.error("ValueError", "unsupported format character '"
                    + (letter >= 32 && letter <= 126 ? (char) letter : '?') + "' (0x" + Integer.toHexString(letter)
                    + ") at index " + at.i);
        }
        return new PyPercentConversions.Directive(left, flags.contains("+"), flags.contains(" "), flags.contains("#"),
                flags.contains("0"), width, precision, (char) letter);
    }

    /** The precision: after a point, {@code *} (the next argument) or digits (none and negative mean 0); else -1. */
    private static int precision(Cursor at, Arguments arguments) {
        if (!at.at('.')) {
            return -1;
        }
        at.i++;
        if (at.at('*')) {
            at.i++;
            return Math.max(0, star(arguments.next()));
        }
        return Math.max(0, digits(at, "precision"));
    }

    /** A width or precision written in digits, -1 when there are none. */
    private static int digits(Cursor at, String what) {
        int start = at.i;
        while (at.i < at.t.length() && at.t.charAt(at.i) >= '0' && at.t.charAt(at.i) <= '9') {
            at.i++;
        }
        if (at.i == start) {
            return -1;
        }
        BigDecimal n = new BigDecimal(at.t.substring(start, at.i));
        if (n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw PyFormat.error("ValueError", what + " too big");
        }
        return n.intValue();
    }

    /** The index of the parenthesis closing the one at {@code open}; keys may hold balanced parentheses. */
    private static int closingParenthesis(String t, int open) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw PyFormat.error("ValueError", "incomplete format key");
    }

    private static int star(Object v) {
        BigInteger i = v instanceof Boolean b ? (b ? BigInteger.ONE : BigInteger.ZERO) : PyFormat.integerValue(v);
        if (i == null) {
            throw PyFormat.error("TypeError", "* wants int");
        }
        if (i.bitLength() > 63) {
            throw PyFormat.error("OverflowError", "Python int too large to convert to C ssize_t");
        }
        if (i.bitLength() > 31) {
            throw PyFormat.error("MemoryError", "");
        }
        return i.intValue();
    }
}
