package dev.kiln.io;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes NumPy {@code .npy} files holding float32 arrays.
 *
 * <p>Only little-endian float32 ({@code '<f4'}) arrays in C (row-major) order are supported, which is
 * what {@code np.save(path, a.astype(np.float32))} writes. Format versions 1.0, 2.0 and 3.0 are read;
 * version 1.0 is written (2.0 only if the header would not fit in version 1.0), byte for byte as NumPy
 * writes it.
 *
 * <p>Every problem with a file is reported as a {@link KilnException} whose one-line message starts with
 * the file path, for example {@code x.npy: expected float32 ('<f4'), got '<f8'; save with
 * arr.astype('<f4')}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the preamble and header to a multiple of this many bytes. */
    private static final int ARRAY_ALIGN = 64;
    /** NumPy leaves room after the header dict so the first dimension can grow to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Deepest bracket nesting accepted in a header (NumPy's own headers nest two levels). */
    private static final int MAX_NESTING = 32;
    /** Largest byte array the JVM reliably allocates. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final String DESCR = "<f4";

    private Npy() {}

    /**
     * Reads a float32 array from a {@code .npy} file.
     *
     * @param file the {@code .npy} file; format version 1.0, 2.0 or 3.0, dtype {@code '<f4'}, C order,
     *     every dimension at least 1 (a shape of {@code ()} gives a scalar)
     * @return a tensor with the file's shape and elements
     * @throws KilnException if the file cannot be read, is not a {@code .npy} file, holds another dtype
     *     or a Fortran-order array, has a zero dimension, or is truncated or has data after the array;
     *     the message starts with {@code file}
     */
    public static Tensor read(Path file) {
        Objects.requireNonNull(file, "file");
        return decode(file, readAllBytes(file));
    }

    /**
     * Reads a float32 array from a {@code .npy} file and checks that it has exactly the expected shape.
     *
     * @param file the {@code .npy} file, as for {@link #read(Path)}
     * @param expected the shape the array must have; compared exactly, so an unknown dimension
     *     ({@link Shape#UNKNOWN}) never matches and arrays are never reshaped
     * @return a tensor of shape {@code expected}
     * @throws KilnException as for {@link #read(Path)}, or if the shape differs, with a message naming
     *     the file, the expected and the actual shape ({@code x.npy: expected shape [64,1000], got
     *     [64,999]})
     */
    public static Tensor read(Path file, Shape expected) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expected, "expected");
        Tensor t = read(file);
        if (!t.shape().equals(expected)) {
            throw fail(file, "expected shape " + expected + ", got " + t.shape());
        }
        return t;
    }

    /**
     * Writes a tensor as a float32 {@code .npy} file that NumPy loads with {@code np.load}.
     *
     * <p>The file is format version 1.0 with dtype {@code '<f4'}, C order and the tensor's shape, its
     * header padded with spaces and a newline to a multiple of 64 bytes as NumPy does. It is written to a
     * temporary file in the same directory and then moved over {@code file} (atomically where the file
     * system supports it), so readers never see a half-written file; on failure the temporary file is
     * deleted and an existing {@code file} is left as it was.
     *
     * @param file where to write; its directory must exist
     * @param t the tensor to write
     * @throws KilnException if the file cannot be written; the message starts with {@code file}
     */
    public static void write(Path file, Tensor t) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(t, "t");
        writeAll(Map.of(file, t));
    }

    /**
     * Writes several tensors as {@link #write} does, each to its file, all or (nearly) nothing: every
     * file is written to a temporary file first, and only when all are written are they moved over
     * their targets, in the map's order. If one cannot be written, no target is touched and no temporary
     * file is left; only a failure of the final moves themselves (a target that is a directory, a name
     * too long for the file system) leaves the files moved before it replaced.
     *
     * @param files where to write each tensor; their directories must exist
     * @throws KilnException if a file cannot be written; the message starts with that file
     */
    public static void writeAll(Map<Path, Tensor> files) {
        Objects.requireNonNull(files, "files");
        try (AtomicFiles out = new AtomicFiles()) {
            for (Map.Entry<Path, Tensor> f : files.entrySet()) {
                Objects.requireNonNull(f.getKey(), "file");
                Objects.requireNonNull(f.getValue(), "tensor");
                out.stage(f.getKey(), encode(f.getKey(), f.getValue()));
            }
            out.commit();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    private static byte[] readAllBytes(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw fail(file, "cannot read: it is a directory");
            }
            long size = Files.size(file);
            if (size > MAX_ARRAY_BYTES) {
                throw fail(file, "cannot read: file is too large (" + size + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw fail(file, "cannot read: " + AtomicFiles.describe(e), e);
        } catch (OutOfMemoryError e) {
            throw fail(file, "cannot read: file is too large to load into memory", e);
        }
    }

    private static Tensor decode(Path file, byte[] bytes) {
        if (!hasMagic(bytes)) {
            boolean zip = bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3
                    && bytes[3] == 4;
            throw fail(file, "not a .npy file (bad magic)"
                    + (zip ? "; it looks like a .npz archive: save each array with np.save" : ""));
        }
        if (bytes.length < MAGIC.length + 2) {
            throw fail(file, "truncated: file ends inside the .npy preamble");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw fail(file, "unsupported .npy format version " + major + "." + minor
                    + " (Kiln reads versions 1.0, 2.0 and 3.0)");
        }
        int preamble = major == 1 ? 10 : 12;
        if (bytes.length < preamble) {
            throw fail(file, "truncated: file ends inside the .npy preamble");
        }
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = major == 1 ? Short.toUnsignedLong(le.getShort(8)) : Integer.toUnsignedLong(le.getInt(8));
        long afterPreamble = bytes.length - preamble;
        if (headerLen > afterPreamble) {
            throw fail(file, "truncated: preamble says the header is " + headerLen + " bytes, file has "
                    + afterPreamble + " bytes after the preamble");
        }
        String header = decodeHeader(file, bytes, preamble, (int) headerLen, major == 3);
        int[] dims = parseHeader(file, header, major <= 2);

        long count = 1;
        for (int d : dims) {
            count *= d; // cannot overflow: checked against Integer.MAX_VALUE in parseHeader
        }
        long need = count * Float.BYTES;
        int dataOffset = preamble + (int) headerLen;
        long have = bytes.length - dataOffset;
        if (have < need) {
            throw fail(file, "truncated: header says " + plural(count, "float") + " (" + plural(need, "byte")
                    + "), file has " + plural(have, "byte") + " of data");
        }
        if (have > need) {
            throw fail(file, "has " + plural(have - need, "byte") + " after the data (header says "
                    + plural(count, "float") + ", " + plural(need, "byte") + ")");
        }
        float[] data = new float[(int) count];
        ByteBuffer.wrap(bytes, dataOffset, (int) need).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new Tensor(Shape.of(dims), data);
    }

    private static boolean hasMagic(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String decodeHeader(Path file, byte[] bytes, int offset, int length, boolean utf8) {
        if (!utf8) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "malformed .npy header: a version 3.0 header must be UTF-8", e);
        }
    }

    /** Parses and checks the header dict; returns the shape, every dimension at least 1. */
    private static int[] parseHeader(Path file, String header, boolean python2Longs) {
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
            throw fail(file, "expected float32 ('" + DESCR + "'), got " + excerpt(descr.raw(), 60));
        }
        if (!s.equals(DESCR)) {
            throw fail(file, "expected float32 ('" + DESCR + "'), got " + quote(s) + "; save with arr.astype('"
                    + DESCR + "')");
        }

        Entry order = dict.get("fortran_order");
        if (!(order.value() instanceof Boolean fortran)) {
            throw fail(file, "malformed .npy header: 'fortran_order' must be True or False, got "
                    + excerpt(order.raw(), 60));
        }
        if (fortran) {
            throw fail(file, "Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }

        Entry shape = dict.get("shape");
        if (!(shape.value() instanceof PyTuple tuple) || !tuple.items().stream().allMatch(BigInteger.class::isInstance)) {
            throw fail(file, "malformed .npy header: 'shape' must be a tuple of integers, got "
                    + excerpt(shape.raw(), 60));
        }
        for (Object item : tuple.items()) {
            BigInteger d = (BigInteger) item;
            if (d.signum() < 0) {
                throw fail(file, "malformed .npy header: negative dimension " + d + " in shape " + pyTuple(tuple));
            }
            if (d.signum() == 0) {
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

    // ---------------------------------------------------------------------------------------------
    // Writing

    private static byte[] encode(Path file, Tensor t) {
        int[] dims = t.shape().dims();
        StringBuilder header = new StringBuilder("{'descr': '" + DESCR + "', 'fortran_order': False, 'shape': ")
                .append(pyTuple(dims)).append(", }");
        if (dims.length > 0) {
            header.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(dims[0]).length())));
        }
        byte[] dict = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int preamble = 10;
        int hlen = dict.length + 1; // with the final newline
        int padding = ARRAY_ALIGN - (preamble + hlen) % ARRAY_ALIGN;
        if (hlen + padding > 0xffff) { // as NumPy does, fall back to version 2.0 for huge headers
            major = 2;
            preamble = 12;
            padding = ARRAY_ALIGN - (preamble + hlen) % ARRAY_ALIGN;
        }
        int headerLen = hlen + padding;
        long total = (long) preamble + headerLen + (long) Float.BYTES * t.size();
        if (total > MAX_ARRAY_BYTES) {
            throw fail(file, "cannot write: tensor of shape " + t.shape() + " is too large for one .npy file ("
                    + total + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            buf.putShort((short) headerLen);
        } else {
            buf.putInt(headerLen);
        }
        buf.put(dict);
        for (int i = 0; i < padding; i++) {
            buf.put((byte) ' ');
        }
        buf.put((byte) '\n');
        buf.asFloatBuffer().put(t.data());
        return buf.array();
    }

    // ---------------------------------------------------------------------------------------------
    // Messages

    private static KilnException fail(Path file, String message) {
        return fail(file, message, null);
    }

    private static KilnException fail(Path file, String message, Throwable cause) {
        return AtomicFiles.fail(file, message, cause);
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A string as Python would quote it, e.g. {@code '<f8'}. */
    private static String quote(String s) {
        return "'" + escape(s) + "'";
    }

    /** {@code (64, 1000)}, {@code (5,)} or {@code ()}. */
    private static String pyTuple(int[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return b.append(dims.length == 1 ? ",)" : ")").toString();
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
}
