package dev.kiln.io;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** Largest byte array the JVM reliably allocates. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    static final String DESCR = "<f4";

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
        return read(file, DType.FLOAT32);
    }

    /**
     * Reads an array to hold in a tensor of {@code dtype} ({@link DType}: integers and booleans are held as
     * floats). float32 takes {@code '<f4'} only, as {@link #read(Path)}; int32 and int64 take any NumPy integer
     * array ({@code '<i8'}, {@code '<i4'}, {@code '|u1'}, ...) whose every element is within ±2^24; bool takes
     * {@code '|b1'}.
     *
     * @throws KilnException as for {@link #read(Path)}, or naming the first element out of range
     */
    public static Tensor read(Path file, DType dtype) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dtype, "dtype");
        return decode(file, readAllBytes(file), dtype);
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
    /**
     * Writes a tensor of {@code dtype} as {@link #write(Path, Tensor)} does, as NumPy's array of that type
     * ({@code '<i8'} for int64, {@code '<i4'} for int32, {@code '|b1'} for bool).
     */
    public static void write(Path file, Tensor t, DType dtype) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(t, "t");
        try (AtomicFiles out = new AtomicFiles()) {
            out.stage(file, encode(file, t, Objects.requireNonNull(dtype, "dtype")));
            out.commit();
        }
    }

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

    /**
     * The contents of a {@code .npy} file of any of the {@code accepted} dtypes (NumPy's spelling, {@code '<f8'}):
     * its dtype, its shape (zero dimensions allowed) and its data, little-endian as stored.
     */
    public record Raw(String descr, int[] shape, ByteBuffer data) {}

    /**
     * Reads a {@code .npy} file of one of the {@code accepted} dtypes ({@code expected} describes them in
     * messages), checking it as {@link #read(Path)} does, but allowing zero dimensions.
     *
     * @throws KilnException if the file cannot be read, is not a {@code .npy} file, holds another dtype or a
     *     Fortran-order array, or its data is not exactly what the header says; the message starts with {@code file}
     */
    public static Raw readRaw(Path file, List<String> accepted, String expected) {
        Objects.requireNonNull(file, "file");
        return decodeRaw(file, readAllBytes(file), accepted, expected);
    }

    /** {@link #readRaw} of a file's bytes already read ({@code file} names it in messages: an archive's entry). */
    public static Raw decodeRaw(Path file, byte[] bytes, List<String> accepted, String expected) {
        Located at = locate(file, bytes, accepted, expected, true);
        long count = 1;
        for (int d : at.parsed().dims()) {
            count *= d;
        }
        String descr = at.parsed().descr();
        long need = count * Integer.parseInt(descr.substring(2));
        long have = bytes.length - at.dataOffset();
        if (have != need) {
            throw fail(file, (have < need ? "truncated: " : "wrong size: ") + "header says " + plural(count, "element")
                    + " (" + plural(need, "byte") + "), file has " + plural(have, "byte") + " of data");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, at.dataOffset(), (int) need).slice().order(ByteOrder.LITTLE_ENDIAN);
        return new Raw(descr, at.parsed().dims(), data);
    }

    /**
     * The bytes of a {@code .npy} file (format 1.0, or 2.0 for a huge header) holding {@code data} of dtype
     * {@code descr} and {@code shape}, with the header exactly as NumPy writes it.
     */
    public static byte[] encodeRaw(String descr, int[] shape, byte[] data) {
        return encode(Path.of("array.npy"), descr, shape, data);
    }

    /** Writes {@link #encodeRaw}'s bytes to {@code file}, whole or not at all. */
    public static void writeRaw(Path file, String descr, int[] shape, byte[] data) {
        try (AtomicFiles out = new AtomicFiles()) {
            out.stage(file, encode(file, descr, shape, data));
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

    /** The array dtypes a tensor of each dtype is read from, the first being the one to convert to. */
    private static List<String> accepted(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> List.of(DESCR);
            case INT32, INT64 -> List.of("<i8", "<i4", "<i2", "|i1", "<u8", "<u4", "<u2", "|u1");
            case BOOL -> List.of("|b1");
        };
    }

    private static String expected(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "float32 ('" + DESCR + "')";
            case INT32, INT64 -> "an integer array ('<i8', '<i4', ...) for " + dtype.pythonName();
            case BOOL -> "bool ('|b1')";
        };
    }

    /** Where a file's data starts, after its checked preamble and header. */
    private record Located(NpyHeader.Parsed parsed, int dataOffset) {}

    private static Located locate(Path file, byte[] bytes, List<String> accepted, String expected, boolean zeroDims) {
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
        NpyHeader.Parsed parsed = NpyHeader.parse(file, header, major <= 2, accepted, expected, zeroDims);
        return new Located(parsed, preamble + (int) headerLen);
    }


    static Tensor decode(Path file, byte[] bytes, DType dtype) {
        Located at = locate(file, bytes, accepted(dtype), expected(dtype), false);
        NpyHeader.Parsed parsed = at.parsed();
        int preamble = 0;
        int headerLen = at.dataOffset();
        int[] dims = parsed.dims();
        int width = Integer.parseInt(parsed.descr().substring(2));
        String unit = dtype == DType.FLOAT32 ? "float" : "element";

        long count = 1;
        for (int d : dims) {
            count *= d; // cannot overflow: checked against Integer.MAX_VALUE in parseHeader
        }
        long need = count * width;
        int dataOffset = preamble + headerLen;
        long have = bytes.length - dataOffset;
        if (have < need) {
            throw fail(file, "truncated: header says " + plural(count, unit) + " (" + plural(need, "byte")
                    + "), file has " + plural(have, "byte") + " of data");
        }
        if (have > need) {
            throw fail(file, "has " + plural(have - need, "byte") + " after the data (header says "
                    + plural(count, unit) + ", " + plural(need, "byte") + ")");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataOffset, (int) need).order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(Shape.of(dims), elements(file, data, parsed.descr(), (int) count, dtype));
    }

    /** The elements as floats: float32 as they are; integers and booleans as their values, each checked. */
    private static float[] elements(Path file, ByteBuffer in, String descr, int count, DType dtype) {
        float[] out = new float[count];
        if (dtype == DType.FLOAT32) {
            in.asFloatBuffer().get(out);
            return out;
        }
        boolean unsigned = descr.charAt(1) == 'u';
        int width = Integer.parseInt(descr.substring(2));
        int at = in.position();
        for (int i = 0; i < count; i++, at += width) {
            long v = switch (width) {
                case 1 -> unsigned ? in.get(at) & 0xffL : in.get(at);
                case 2 -> unsigned ? in.getShort(at) & 0xffffL : in.getShort(at);
                case 4 -> unsigned ? in.getInt(at) & 0xffffffffL : in.getInt(at);
                default -> in.getLong(at); // an unsigned 64-bit value beyond Long.MAX_VALUE reads negative: out of range
            };
            if (unsigned && width == 8 && v < 0 || Math.abs(v) > (long) DType.MAX_EXACT_INTEGER) {
                throw fail(file, "element " + i + " is " + (unsigned && v < 0 ? Long.toUnsignedString(v) : v)
                        + ", beyond ±2^24 (the integers Kiln holds exactly in a float)");
            }
            if (dtype == DType.BOOL && v != 0 && v != 1) {
                throw fail(file, "element " + i + " is " + v + ", not a boolean");
            }
            out[i] = v;
        }
        return out;
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

    // ---------------------------------------------------------------------------------------------
    // Writing

    static byte[] encode(Path file, Tensor t) {
        return encode(file, t, DType.FLOAT32);
    }

    /** The array dtype a tensor of {@code dtype} is written as: NumPy's own for it. */
    private static String descr(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> DESCR;
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case BOOL -> "|b1";
        };
    }

    private static byte[] encode(Path file, Tensor t, DType dtype) {
        String descr = descr(dtype);
        int width = Integer.parseInt(descr.substring(2));
        long bytes = (long) width * t.size();
        if (bytes > MAX_ARRAY_BYTES) {
            throw fail(file, "cannot write: tensor of shape " + t.shape() + " is too large for one .npy file ("
                    + bytes + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.FLOAT32) {
            buf.asFloatBuffer().put(t.data());
        } else {
            for (float v : t.data()) {
                switch (width) {
                    case 1 -> buf.put((byte) v);
                    case 4 -> buf.putInt((int) v);
                    default -> buf.putLong((long) v);
                }
            }
        }
        return encode(file, descr, t.shape().dims(), buf.array());
    }

    /** A {@code .npy} file's bytes: the preamble, the header as NumPy writes it, then {@code data}. */
    private static byte[] encode(Path file, String descr, int[] dims, byte[] data) {
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ")
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
        long total = (long) preamble + headerLen + data.length;
        if (total > MAX_ARRAY_BYTES) {
            throw fail(file, "cannot write: an array of shape " + pyTuple(dims) + " is too large for one .npy file ("
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
        buf.put(data);
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

    /** {@code (64, 1000)}, {@code (5,)} or {@code ()}. */
    private static String pyTuple(int[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }

}
