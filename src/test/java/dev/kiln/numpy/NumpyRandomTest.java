package dev.kiln.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RandomState} against NumPy's own output: after {@code np.random.seed(s)}, each call in the order
 * {@code scripts/reference/numpy_random.py} made them, bit for bit, the stream's position and the kept
 * Gaussian carrying over from one call to the next.
 */
class NumpyRandomTest {
    private static final Path DIR = Path.of("src/test/resources/numpy/random");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0, 42, 2026, 4294967295L})
    void everyCallEqualsNumPysBitForBit(long seed) throws IOException {
        RandomState r = new RandomState(seed);
        doubles(seed, "rand", r, n -> r.randomSample());
        doubles(seed, "randn", r, n -> r.gauss());
        doubles(seed, "uniform", r, n -> r.uniform(-2.0, 3.0));
        doubles(seed, "normal", r, n -> r.normal(1.5, 0.25));
        doubles(seed, "randn_odd", r, n -> r.gauss());
        longs(seed, "randint10", n -> r.randint(0, 10));
        longs(seed, "randint_big", n -> r.randint(-5, 1L << 40));
        longs(seed, "randint_one", n -> r.randint(0, 7));
        long[] perm = r.permutation(100);
        longs(seed, "permutation", n -> perm[n]);
        long[] a = new long[37];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        r.shuffle(a.length, (i, j) -> {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        });
        longs(seed, "shuffled", n -> a[n]);
        doubles(seed, "random_sample", r, n -> r.randomSample());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {-1, 1L << 32})
    void seedsOutsideThirtyTwoBitsAreRefusedAsNumPyRefusesThem(long seed) {
        assertThrows(IllegalArgumentException.class, () -> new RandomState(seed));
    }

    private static void doubles(long seed, String call, RandomState r, Function<Integer, Double> next) throws IOException {
        ByteBuffer data = data(seed, call, "<f8");
        int count = data.remaining() / 8;
        for (int n = 0; n < count; n++) {
            double want = data.getDouble();
            double got = next.apply(n);
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got),
                    () -> call + "[" + "] after seed " + seed + ": NumPy " + want + ", got " + got);
        }
    }

    private static void longs(long seed, String call, Function<Integer, Long> next) throws IOException {
        ByteBuffer data = data(seed, call, "<i8");
        int count = data.remaining() / 8;
        for (int n = 0; n < count; n++) {
            long want = data.getLong();
            long got = next.apply(n);
            int at = n;
            assertEquals(want, got, () -> call + "[" + at + "] after seed " + seed);
        }
    }

    /** The data of a .npy file NumPy wrote (format 1.0, C order), checking its dtype. */
    private static ByteBuffer data(long seed, String call, String descr) throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve(seed + "_" + call + ".npy"));
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertEquals(true, header.contains("'descr': '" + descr + "'"), header);
        return ByteBuffer.wrap(bytes, 10 + headerLen, bytes.length - 10 - headerLen).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
