package dev.kiln.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@link Format} prints every float32 and float64 of {@code scalars.txt} as NumPy printed it. */
class NumpyFormatTest {
    /**
     * From JDK 19, {@code Double.toString} and {@code Float.toString} give the shortest decimal that reads back
     * and, of those, the nearest (ties to even), as Python's repr and NumPy do: {@link Format#shortest} must
     * agree on 100,000 random bit patterns of each width (where the JDK's shortest has one digit it writes two,
     * so those are skipped).
     */
    @Test
    void theShortestDigitsAreTheJdksOnJdk19AndLater() {
        Assumptions.assumeTrue(Runtime.version().feature() >= 19, "Float.toString is shortest from JDK 19");
        java.util.Random r = new java.util.Random(19);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isFinite(f) && f != 0) {
                java.math.BigDecimal jdk = new java.math.BigDecimal(Float.toString(f)).stripTrailingZeros();
                if (jdk.precision() > 1) {
                    assertEquals(0, jdk.compareTo(Format.shortest(f, true)), "float32 " + f);
                }
            }
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isFinite(d) && d != 0) {
                java.math.BigDecimal jdk = new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros();
                if (jdk.precision() > 1) {
                    assertEquals(0, jdk.compareTo(Format.shortest(d, false)), "float64 " + d);
                }
            }
        }
    }

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
