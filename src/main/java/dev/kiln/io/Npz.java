package dev.kiln.io;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archives: a zip of {@code .npy} files, one per named array, as {@code np.savez} writes
 * them (stored, not compressed) and {@code np.load} reads them; a name may hold {@code /}, as an optimizer's
 * slot does ({@code w1/Adam}). Arrays are float32, as {@link Npy} reads and writes them; an archive
 * {@code np.savez_compressed} wrote is read too.
 */
public final class Npz {
    private Npz() {}

    /**
     * Writes the arrays to {@code file}, whole or not at all (through a temporary file beside it).
     *
     * @throws KilnException if the file cannot be written; the message starts with {@code file}
     */
    public static void write(Path file, Map<String, Tensor> arrays) {
        Objects.requireNonNull(file, "file");
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
            files.put(a.getKey(), Npy.encode(file, a.getValue()));
        }
        writeRaw(file, files);
    }

    /**
     * Writes {@code .npy} files' bytes ({@link Npy#encodeRaw}) as an archive's entries, each named by its key
     * plus {@code .npy}, stored as {@code np.savez} stores them; whole or not at all.
     *
     * @throws KilnException if the file cannot be written; the message starts with {@code file}
     */
    public static void writeRaw(Path file, Map<String, byte[]> npyFiles) {
        Objects.requireNonNull(file, "file");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> a : npyFiles.entrySet()) {
                byte[] npy = a.getValue();
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                CRC32 crc = new CRC32();
                crc.update(npy);
                e.setMethod(ZipEntry.STORED);
                e.setSize(npy.length);
                e.setCompressedSize(npy.length);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(npy);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new KilnException(null, file + ": cannot write: " + e.getMessage(), e);
        }
        try (AtomicFiles out = new AtomicFiles()) {
            out.stage(file, bytes.toByteArray());
            out.commit();
        }
    }

    /**
     * The arrays of {@code file} by name (the entry's name without {@code .npy}), in the archive's order.
     *
     * @throws KilnException if the file cannot be read, is not a zip, or holds an entry that is not a float32
     *     {@code .npy}; the message starts with {@code file} (and names the entry)
     */
    public static Map<String, Tensor> read(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KilnException(null, file + ": cannot read: " + AtomicFiles.describe(e), e);
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(all))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new KilnException(file + ": entry '" + name + "' is not a .npy array");
                }
                Tensor t = Npy.decode(Path.of(file + ":" + name), zip.readAllBytes(), DType.FLOAT32);
                arrays.put(name.substring(0, name.length() - 4), t);
            }
        } catch (IOException e) {
            throw new KilnException(null, file + ": not a readable .npz archive: " + e.getMessage(), e);
        }
        if (arrays.isEmpty()) {
            throw new KilnException(file + ": not a .npz archive, or an empty one");
        }
        return arrays;
    }
}
