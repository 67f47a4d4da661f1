package dev.kiln.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .npz} archives: NumPy's, stored and compressed, read; Kiln's written as NumPy's own and read back. */
class NpzTest {
    private static final Path DIR = Path.of("src/test/resources/numpy/npz");

    @Test
    void readsWhatNumPyWrote() {
        for (String file : List.of("stored.npz", "compressed.npz")) {
            Map<String, Tensor> a = Npz.read(DIR.resolve(file));
            assertEquals(List.of("w", "w/Adam"), List.copyOf(a.keySet()), file);
            assertEquals(Shape.of(2, 3), a.get("w").shape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.get("w").data());
            assertArrayEquals(new float[] {0.5f, -1.25f}, a.get("w/Adam").data());
        }
    }

    @Test
    void writesWhatNumPyWritesAndReadsItBack(@TempDir Path dir) throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>(Npz.read(DIR.resolve("stored.npz")));
        Path out = dir.resolve("again.npz");
        Npz.write(out, arrays);
        assertEquals(arrays, Npz.read(out));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList(), "no temporary file left");
        }
    }

    @Test
    void badArchivesNameTheFile(@TempDir Path dir) throws Exception {
        Path notZip = dir.resolve("x.npz");
        Files.writeString(notZip, "not a zip");
        KilnException e = assertThrows(KilnException.class, () -> Npz.read(notZip));
        assertTrue(e.getMessage().startsWith(notZip.toString()), e.getMessage());
        KilnException missing = assertThrows(KilnException.class, () -> Npz.read(dir.resolve("nope.npz")));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());
    }
}
