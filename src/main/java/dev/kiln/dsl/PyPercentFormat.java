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
        int n = t.length();
        while (i < n) {
            int percent = t.indexOf('%', i);
            if (percent < 0) {
                out.append(t, i, n);
                break;
            }
            out.append(t, i, percent);
            i = percent + 1;
            if (i < n && t.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            if (i < n && t.charAt(i) == '(') {
                int close = closingParenthesis(t, i);
                arguments.useEntry(t.substring(i + 1, close));
                i = close + 1;
            }
            boolean left = false, plus = false, blank = false, alternate = false, zero = false;
            for (; i < n; i++) {
                char c = t.charAt(i);
                if (c == '-') left = true;
                else if (c == '+') plus = true;
                else if (c == ' ') blank = true;
                else if (c == '#') alternate = true;
                else if (c == '0') zero = true;
                else break;
            }
            int width = -1;
            if (i < n && t.charAt(i) == '*') {
                width = star(arguments.next());
                if (width < 0) {
                    left = true;
                    width = -width;
                }
                i++;
            } else {
                int start = i;
                i = skipDigits(t, i);
                width = i > start ? number(t, start, i, "width") : -1;
            }
            int precision = -1;
            if (i < n && t.charAt(i) == '.') {
                i++;
                if (i < n && t.charAt(i) == '*') {
                    precision = Math.max(0, star(arguments.next()));
                    i++;
                } else {
                    int start = i;
                    i = skipDigits(t, i);
                    precision = i > start ? number(t, start, i, "precision") : 0;
                }
            }
            if (i < n && (t.charAt(i) == 'h' || t.charAt(i) == 'l' || t.charAt(i) == 'L')) {
                i++;
            }
            if (i >= n) {
                throw PyFormat.error("ValueError", "incomplete format");
            }
            int conversion = t.codePointAt(i);
            Object value = arguments.next();
            if ("diuoxXeEfFgGcsra".indexOf(conversion) < 0) {
                throw PyFormat.error("ValueError", "unsupported format character '"
                        + (conversion >= 32 && conversion <= 126 ? (char) conversion : '?') + "' (0x"
                        + Integer.toHexString(conversion) + ") at index " + i);
            }
            i++;
            var d = new PyPercentConversions.Directive(left, plus, blank, alternate, zero, width, precision,
                    (char) conversion);
            out.append(PyPercentConversions.convert(d, value, host));
        }
        if (!arguments.allUsed()) {
            throw PyFormat.error("TypeError", "not all arguments converted during string formatting");
        }
        return out.toString();
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

    private static int skipDigits(String t, int i) {
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static int number(String t, int from, int to, String what) {
        BigDecimal n = new BigDecimal(t.substring(from, to));
        if (n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw PyFormat.error("ValueError", what + " too big");
        }
        return n.intValue();
    }
}
