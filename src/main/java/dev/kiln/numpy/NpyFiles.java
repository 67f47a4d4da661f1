package dev.kiln.numpy;

import dev.kiln.io.Npy;
import dev.kiln.io.Npz;
import dev.kiln.ir.KilnException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code np.load}, {@code np.save} and {@code np.savez}, through {@link Npy}'s reading and writing of the format.
 * Loading keeps bool, int32, int64, float32 and float64 arrays as they are; the other integer types
 * ({@code int8}, {@code int16}, {@code uint8}, {@code uint16}, {@code uint32}) load as int64, so saving such an
 * array again writes int64. Saving writes the bytes NumPy writes for the same array. Loading a {@code .npz}
 * archive gives its arrays by name, in a map.
 */
final class NpyFiles {
    private static final List<String> ACCEPTED = List.of("|b1", "<i4", "<i8", "<f4", "<f8", "|i1", "<i2", "|u1",
            "<u2", "<u4");
    private static final String EXPECTED = "bool, an integer type of up to 64 bits (unsigned up to 32), float32 or "
            + "float64";

    private NpyFiles() {}

    /** {@code np.load(path)}: an NdArray, or a {@code Map<String, NdArray>} for an .npz archive. */
    static Object load(NumpyState state, String path) {
        Path file = existing(state, path);
        try {
            byte[] head = new byte[4];
            try (var in = Files.newInputStream(file)) {
                int n = in.read(head);
                if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                    return loadNpz(file);
                }
            }
            return toArray(Npy.readRaw(file, ACCEPTED, EXPECTED));
        } catch (IOException e) {
            throw new NumpyException("OSError", "cannot read '" + path + "': " + e.getMessage(), null);
        } catch (KilnException e) {
            throw new NumpyException(e.getMessage());
        }
    }

    private static Path existing(NumpyState state, String path) {
        Path file = state.resolve(path);
        if (!Files.exists(file)) {
            throw new NumpyException("FileNotFoundError", "No such file or directory: '" + path + "'", null);
        }
        return file;
    }

    private static Map<String, NdArray> loadNpz(Path file) throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                arrays.put(key, toArray(Npy.decodeRaw(Path.of(file + ":" + name), zip.readAllBytes(), ACCEPTED,
                        EXPECTED)));
            }
        }
        return arrays;
    }

    private static NdArray toArray(Npy.Raw raw) {
        ByteBuffer in = raw.data();
        int[] shape = raw.shape();
        int n = Shapes.size(shape);
        NdArray a = switch (raw.descr()) {
            case "<f4" -> { // bulk reads: a program's data is read at its start, before the JIT has compiled a loop
                float[] f = new float[n];
                in.asFloatBuffer().get(f);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = f[i];
                }
                yield NdArray.of(NpType.FLOAT32, shape, v);
            }
            case "<f8" -> {
                double[] v = new double[n];
                in.asDoubleBuffer().get(v);
                yield NdArray.of(NpType.FLOAT64, shape, v);
            }
            default -> {
                long[] v = new long[n];
                int width = Integer.parseInt(raw.descr().substring(2));
                boolean unsigned = raw.descr().charAt(1) == 'u';
                for (int i = 0; i < n; i++) {
                    v[i] = switch (width) {
                        case 1 -> unsigned ? in.get(i) & 0xffL : in.get(i);
                        case 2 -> unsigned ? in.getShort(i * 2) & 0xffffL : in.getShort(i * 2);
                        case 4 -> unsigned ? in.getInt(i * 4) & 0xffffffffL : in.getInt(i * 4);
                        default -> in.getLong(i * 8);
                    };
                }
                NpType type = switch (raw.descr()) {
                    case "|b1" -> NpType.BOOL;
                    case "<i4" -> NpType.INT32;
                    default -> NpType.INT64;
                };
                yield NdArray.of(type, shape, v);
            }
        };
        return a;
    }

    /** {@code np.save(path, a)}: {@code .npy} added to a path without it. */
    static void save(NumpyState state, String path, NdArray a) {
        String name = path.endsWith(".npy") ? path : path + ".npy";
        try {
            Npy.writeRaw(writable(state, name), descr(a.dtype()), a.shapeRef(), bytes(a));
        } catch (KilnException e) {
            throw new NumpyException("OSError", e.getMessage(), null);
        }
    }

    /** {@code np.savez(path, *arrays, **named)}: positional arrays named arr_0, arr_1, ...; {@code .npz} added. */
    static void savez(NumpyState state, String path, Map<String, NdArray> arrays) {
        String name = path.endsWith(".npz") ? path : path + ".npz";
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            NdArray a = e.getValue();
            files.put(e.getKey(), Npy.encodeRaw(descr(a.dtype()), a.shapeRef(), bytes(a)));
        }
        try {
            Npz.writeRaw(writable(state, name), files);
        } catch (KilnException e) {
            throw new NumpyException("OSError", e.getMessage(), null);
        }
    }

    private static Path writable(NumpyState state, String path) {
        Path file = state.resolve(path);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new NumpyException("FileNotFoundError", "No such file or directory: '" + path + "'", null);
        }
        return file;
    }

    /** NumPy's little-endian spelling of a dtype. */
    static String descr(NpType type) {
        return switch (type) {
            case BOOL -> "|b1";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
        };
    }

    /** The elements as NumPy stores them, little-endian. */
    static byte[] bytes(NdArray a) {
        if ((long) a.size() * a.dtype().itemSize() > Shapes.MAX_SIZE) {
            throw new NumpyException("array of shape " + Shapes.str(a.shapeRef()) + " is too large to save in one file");
        }
        ByteBuffer out = ByteBuffer.allocate(a.size() * a.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.size(); i++) {
            switch (a.dtype()) {
                case BOOL -> out.put((byte) a.longs[i]);
                case INT32 -> out.putInt((int) a.longs[i]);
                case INT64 -> out.putLong(a.longs[i]);
                case FLOAT32 -> out.putFloat((float) a.doubles[i]);
                case FLOAT64 -> out.putDouble(a.doubles[i]);
            }
        }
        return out.array();
    }
}
