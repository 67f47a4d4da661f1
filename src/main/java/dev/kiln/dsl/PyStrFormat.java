package dev.kiln.dsl;

import java.util.List;
import java.util.Map;

/**
 * Python's {@code str.format}: literal text with {@code {{} and {@code }}} for braces, and replacement fields
 * {@code {name!conversion:spec}} where the name is empty (the next positional argument), a number or a keyword,
 * the conversion is {@code r}, {@code s} or {@code a}, and the spec may itself hold fields, one level deep.
 * Names that go on to an attribute or an index ({@code {0.real}}, {@code {0[1]}}) are refused. Errors are
 * raised at the point of the text where Python raises them, with its messages.
 */
final class PyStrFormat {
    private PyStrFormat() {}

    /** PEP 3101's limit: a spec may contain fields, whose specs may not. */
    private static final int NESTING = 2;

    /** Numbering of empty field names, which a template may not mix with explicit numbers. */
    private static final class Numbering {
        private boolean automatic;
        private boolean manual;
        private int next;

        /** The index of a field whose name is empty, or {@code explicit} when it is a number. */
        int index(String name, int explicit) {
            if (name.isEmpty()) {
                if (manual) {
                    throw PyFormat.error("ValueError",
                            "cannot switch from manual field specification to automatic field numbering");
                }
                automatic = true;
                return next++;
            }
            if (automatic) {
                throw PyFormat.error("ValueError",
                        "cannot switch from automatic field numbering to manual field specification");
            }
            manual = true;
            return explicit;
        }
    }

    static String format(String template, List<Object> args, Map<String, Object> kwargs, PyFormat.Host host) {
        return expand(template, args, kwargs, host, NESTING, new Numbering());
    }

    private static String expand(String t, List<Object> args, Map<String, Object> kwargs, PyFormat.Host host,
            int depth, Numbering numbering) {
        if (depth <= 0) {
            throw PyFormat.error("ValueError", "Max string recursion exceeded");
        }
        StringBuilder out = new StringBuilder(t.length() + 16);
        int n = t.length();
        int i = 0;
        while (i < n) {
            char c = t.charAt(i++);
            if (c == '}') {
                if (i >= n || t.charAt(i) != '}') {
                    throw PyFormat.error("ValueError", "Single '}' encountered in format string");
                }
                out.append('}');
                i++;
            } else if (c != '{') {
                out.append(c);
            } else if (i >= n) {
                throw PyFormat.error("ValueError", "Single '{' encountered in format string");
            } else if (t.charAt(i) == '{') {
                out.append('{');
                i++;
            } else {
                Field f = Field.parse(t, i);
                i = f.end();
                Object value = lookUp(f.name(), args, kwargs, numbering);
                value = convert(value, f.conversion(), host);
                String spec = f.specHasFields() ? expand(f.spec(), args, kwargs, host, depth - 1, numbering) : f.spec();
                out.append(PyFormatValues.format(value, spec, host));
            }
        }
        return out.toString();
    }

    /**
     * A replacement field's parts as written, and the index just past its closing brace.
     *
     * @param conversion the letter after {@code !}, or 0
     */
    private record Field(String name, int conversion, String spec, boolean specHasFields, int end) {
        /** The field whose text starts at {@code i}, just after its opening brace. */
        static Field parse(String t, int i) {
            int nameEnd = nameEnd(t, i);
            String name = t.substring(i, nameEnd);
            char c = nameEnd < t.length() ? t.charAt(nameEnd) : 0;
            i = nameEnd + 1;
            if (c == '}') {
                return new Field(name, 0, "", false, i);
            }
            if (c != '!' && c != ':') {
                throw PyFormat.error("ValueError", "expected '}' before end of string");
            }
            int conversion = 0;
            if (c == '!') {
                if (i >= t.length()) {
                    throw PyFormat.error("ValueError", "end of string while looking for conversion specifier");
                }
                conversion = t.codePointAt(i);
                i += Character.charCount(conversion);
                if (i < t.length()) {
                    char after = t.charAt(i++);
                    if (after == '}') {
                        return new Field(name, conversion, "", false, i);
                    }
                    if (after != ':') {
                        throw PyFormat.error("ValueError", "expected ':' after conversion specifier");
                    }
                }
            }
            return withSpec(t, i, name, conversion);
        }

        /**
         * Where the name ends: at {@code }}, {@code :} or {@code !} outside square brackets, or at the end of
         * the text (where the name is unfinished; as in Python, a name ending in an open bracket counts as
         * unfinished too).
         */
        private static int nameEnd(String t, int i) {
            while (i < t.length()) {
                char c = t.charAt(i);
                if (c == '{') {
                    throw PyFormat.error("ValueError", "unexpected '{' in field name");
                }
                if (c == '}' || c == ':' || c == '!') {
                    return i;
                }
                if (c == '[') {
                    i = t.indexOf(']', i);
                    if (i < 0) {
                        return t.length();
                    }
                }
                i++;
            }
            return t.length();
        }

        /** The field completed by its spec, which starts at {@code i} and may hold balanced braces. */
        private static Field withSpec(String t, int i, String name, int conversion) {
            int specStart = i;
            int open = 1;
            boolean hasFields = false;
            while (i < t.length()) {
                char c = t.charAt(i++);
                if (c == '{') {
                    hasFields = true;
                    open++;
                } else if (c == '}' && --open == 0) {
                    return new Field(name, conversion, t.substring(specStart, i - 1), hasFields, i);
                }
            }
            throw PyFormat.error("ValueError", "unmatched '{' in format spec");
        }
    }

    private static Object lookUp(String name, List<Object> args, Map<String, Object> kwargs, Numbering numbering) {
        int cut = 0;
        while (cut < name.length() && name.charAt(cut) != '.' && name.charAt(cut) != '[') {
            cut++;
        }
        String first = name.substring(0, cut);
        int number = integer(first);
        Object value;
        if (first.isEmpty() || number >= 0) {
            int index = numbering.index(first, number);
            if (index >= args.size()) {
                throw PyFormat.error("IndexError",
                        "Replacement index " + index + " out of range for positional args tuple");
            }
            value = args.get(index);
        } else if (kwargs != null && kwargs.containsKey(first)) {
            value = kwargs.get(first);
        } else {
            throw PyFormat.error("KeyError", PyStringRepr.repr(first));
        }
        if (cut < name.length()) {
            throw PyFormat.error("ValueError", "attribute and index lookups in format fields are not supported: '{"
                    + name + "}' (format the item itself, e.g. '{}'.format(x[1]))");
        }
        return value;
    }

    /** The field name as a number when it is all decimal digits, else -1. */
    private static int integer(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            int digit = Character.digit(s.charAt(i), 10);
            if (digit < 0 || Character.getType(s.charAt(i)) != Character.DECIMAL_DIGIT_NUMBER) {
                return -1;
            }
            if (n > (Long.MAX_VALUE - digit) / 10) {
                throw PyFormat.error("ValueError", "Too many decimal digits in format string");
            }
            n = n * 10 + digit;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static Object convert(Object value, int conversion, PyFormat.Host host) {
        return switch (conversion) {
            case 0 -> value;
            case 'r' -> PyFormat.repr(value, host);
            case 's' -> PyFormat.str(value, host);
            case 'a' -> PyFormat.ascii(value, host);
            default -> throw PyFormat.error("ValueError", "Unknown conversion specifier "
                    + (conversion > 32 && conversion < 127 ? String.valueOf((char) conversion)
                            : "\\x" + Integer.toHexString(conversion)));
        };
    }
}
