package dev.kiln.io;

import dev.kiln.ir.KilnException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a {@code .npy} file: a Python dict literal naming the dtype, the memory order and the
 * shape. Parsed as Python would read it (strings, integers of any size, {@code True}/{@code False}/
 * {@code None}, tuples, lists and dicts), so a header that NumPy wrote or would accept is read, and
 * anything else is refused with a message naming the file and the character.
 */
final class NpyHeader {
    /** Deepest bracket nesting accepted in a header (NumPy's own headers nest two levels). */
    private static final int MAX_NESTING = 32;

    private NpyHeader() {}

    /** A parsed header: the array's dtype as NumPy spells it ({@code '<f4'}) and its shape. */
    record Parsed(String descr, int[] dims) {}

    /**
     * Parses and checks the header dict of {@code file}: a dtype of {@code accepted} (described as
     * {@code expected} in messages, the first entry being the one to convert to), C order; returns it with
     * the shape, every dimension at least 1 unless {@code zeroDims}.
     */
    static Parsed parse(Path file, String header, boolean python2Longs, List<String> accepted, String expected,
            boolean zeroDims) {
        HeaderParser p = new HeaderParser(file, header, python2Longs);
        Map<String, Entry> dict = p.parseHeaderDict();
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw fail(file, "malformed .npy header: missing key '" + key + "'");
            }
        }
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw fail(file, "malformed .npy header: unexpected key " + quote(key)
                        + " (expected 'descr', 'fortran_order' and 'shape')");
            }
        }

        Entry descr = dict.get("descr");
        if (!(descr.value() instanceof String s)) {
            throw fail(file, "expected " + expected + ", got " + excerpt(descr.raw(), 60));
        }
        if (!accepted.contains(s)) {
            throw fail(file, "expected " + expected + ", got " + quote(s) + "; save with arr.astype('"
                    + accepted.get(0) + "')");
        }

        Entry order = dict.get("fortran_order");
        if (!(order.value() instanceof Boolean fortran)) {
            throw fail(file, "malformed .npy header: 'fortran_order' must be True or False, got "
                    + excerpt(order.raw(), 60));
        }
        if (fortran) {
            throw fail(file, "Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }

        return new Parsed(s, dims(file, dict.get("shape"), zeroDims));
    }

    /** The dimensions of the header's shape tuple: each at least 1, at most {@code Integer.MAX_VALUE} elements. */
    private static int[] dims(Path file, Entry shape, boolean zeroDims) {
        if (!(shape.value() instanceof PyTuple tuple) || !tuple.items().stream().allMatch(BigInteger.class::isInstance)) {
            throw fail(file, "malformed .npy header: 'shape' must be a tuple of integers, got "
                    + excerpt(shape.raw(), 60));
        }
        for (Object item : tuple.items()) {
            BigInteger d = (BigInteger) item;
            if (d.signum() < 0) {
                throw fail(file, "malformed .npy header: negative dimension " + d + " in shape " + pyTuple(tuple));
            }
            if (d.signum() == 0 && !zeroDims) {
                throw fail(file, "shape " + pyTuple(tuple)
                        + " has a 0 dimension; Kiln tensors need every dimension >= 1");
            }
        }
        int[] dims = new int[tuple.items().size()];
        BigInteger count = BigInteger.ONE;
        for (int i = 0; i < dims.length; i++) {
            BigInteger d = (BigInteger) tuple.items().get(i);
            count = count.multiply(d);
            if (count.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw fail(file, "shape " + pyTuple(tuple) + " has more than " + Integer.MAX_VALUE
                        + " elements, more than a Kiln tensor can hold");
            }
            dims[i] = d.intValueExact();
        }
        return dims;
    }

    /** A header dict value and its source text (for error messages). */
    private record Entry(Object value, String raw) {}

    /** A Python tuple; a Python list is a {@link List}. */
    private record PyTuple(List<Object> items) {}

    /** Python's {@code None}. */
    private enum PyNone { NONE }

    /**
     * Parses the Python literal in a {@code .npy} header: a dict with string keys whose values are
     * strings, integers, {@code True}/{@code False}/{@code None}, tuples, lists and dicts.
     */
    private static final class HeaderParser {
        private final Path file;
        private final String s;
        private final boolean python2Longs;
        private int pos;
        private int depth;

        HeaderParser(Path file, String s, boolean python2Longs) {
            this.file = file;
            this.s = s;
            this.python2Longs = python2Longs;
        }

        Map<String, Entry> parseHeaderDict() {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != '{') {
                throw error("the header must be a Python dict starting with '{'");
            }
            Map<String, Entry> dict = parseDict();
            skipSpace();
            if (pos < s.length()) {
                throw error("unexpected text after the dict");
            }
            return dict;
        }

        private Object parseValue() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("header ends where a value was expected");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return parseDict();
                case '(':
                    return parseParenthesized();
                case '[':
                    return parseList();
                case '\'':
                case '"':
                    return parseString();
                default:
                    break;
            }
            if (c == '-' || c == '+' || isDigit(c)) {
                return parseInt();
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                String name = s.substring(start, pos);
                switch (name) {
                    case "True":
                        return Boolean.TRUE;
                    case "False":
                        return Boolean.FALSE;
                    case "None":
                        return PyNone.NONE;
                    default:
                        pos = start;
                        throw error("unexpected name '" + name + "'");
                }
            }
            throw error("unexpected character " + describeChar(c));
        }

        private Map<String, Entry> parseDict() {
            enter();
            pos++; // '{'
            Map<String, Entry> dict = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                depth--;
                return dict;
            }
            while (true) {
                skipSpace();
                int keyStart = pos;
                Object key = parseValue();
                if (!(key instanceof String k)) {
                    pos = keyStart;
                    throw error("dict keys must be strings");
                }
                skipSpace();
                expect(':');
                skipSpace();
                int valueStart = pos;
                Object value = parseValue();
                if (dict.put(k, new Entry(value, s.substring(valueStart, pos))) != null) {
                    pos = keyStart;
                    throw error("duplicate key " + quote(k));
                }
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                expect(',');
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
            }
            depth--;
            return dict;
        }

        /** A tuple, or a parenthesized value when there is a single element and no comma. */
        private Object parseParenthesized() {
            enter();
            pos++; // '('
            skipSpace();
            if (peek() == ')') {
                pos++;
                depth--;
                return new PyTuple(List.of());
            }
            List<Object> items = new ArrayList<>();
            items.add(parseValue());
            skipSpace();
            if (peek() == ')') {
                pos++;
                depth--;
                return items.get(0);
            }
            expect(',');
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                items.add(parseValue());
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                expect(',');
            }
            depth--;
            return new PyTuple(items);
        }

        private List<Object> parseList() {
            enter();
            pos++; // '['
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    break;
                }
                items.add(parseValue());
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    break;
                }
                expect(',');
            }
            depth--;
            return items;
        }

        private String parseString() {
            int start = pos;
            char quoteChar = s.charAt(pos++);
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length() || s.charAt(pos) == '\n') {
                    pos = start;
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == quoteChar) {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    pos = start;
                    throw error("unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case '0' -> b.append('\0');
                    case '\\', '\'', '"' -> b.append(e);
                    case '\n' -> { } // line continuation
                    default -> b.append('\\').append(e);
                }
            }
        }

        private BigInteger parseInt() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                pos = start;
                throw error("expected a number");
            }
            if (pos - digits > 100) {
                pos = start;
                throw error("number too long");
            }
            BigInteger value = new BigInteger(s.substring(start, pos));
            if (python2Longs && pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++; // Python 2 wrote long integers as 64L
            }
            if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.'
                    || s.charAt(pos) == '_')) {
                throw error("only integers are allowed here, not " + describeChar(s.charAt(pos)));
            }
            return value;
        }

        private void enter() {
            if (++depth > MAX_NESTING) {
                throw error("brackets nested too deeply");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error(pos >= s.length() ? "header ends where '" + c + "' was expected"
                        : "expected '" + c + "', found " + describeChar(s.charAt(pos)));
            }
            pos++;
        }

        /** The current character, or {@code '\uffff'} at the end. */
        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\uffff';
        }

        private void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                    break;
                }
                pos++;
            }
        }

        private KilnException error(String what) {
            return fail(file, "malformed .npy header (" + what + " at character " + pos + "): "
                    + excerpt(s.strip(), 100));
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describeChar(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }


    /** A string as Python would quote it, e.g. {@code '<f8'}. */
    private static String quote(String s) {
        return "'" + escape(s) + "'";
    }

    private static String pyTuple(PyTuple t) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < t.items().size(); i++) {
            b.append(i > 0 ? ", " : "").append(t.items().get(i));
        }
        return b.append(t.items().size() == 1 ? ",)" : ")").toString();
    }

    /** Header text for a message: control characters escaped, cut to at most {@code max} characters. */
    private static String excerpt(String s, int max) {
        String e = escape(s);
        return e.length() <= max ? e : e.substring(0, max) + "...";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        b.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static KilnException fail(Path file, String message) {
        return AtomicFiles.fail(file, message, null);
    }

    private static KilnException fail(Path file, String message, Throwable cause) {
        return AtomicFiles.fail(file, message, cause);
    }
}
