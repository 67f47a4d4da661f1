package dev.kiln.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link Format} prints every float32 and float64 of {@code scalars.txt} as NumPy printed it. */
class NumpyFormatTest {
    @Test
    void printsAsNumPyPrints() throws IOException {
        int checked = 0;
        for (String line : Files.readAllLines(Path.of("src/test/resources/numpy/format/scalars.txt"))) {
            String[] parts = line.split(" ", 3);
            String got = parts[0].equals("f32") ? Format.float32(Float.intBitsToFloat(Integer.parseUnsignedInt(parts[1], 16)))
                    : Format.float64(Double.longBitsToDouble(Long.parseUnsignedLong(parts[1], 16)));
            assertEquals(parts[2], got, line);
            checked++;
        }
        assertEquals(938, checked);
    }
}
