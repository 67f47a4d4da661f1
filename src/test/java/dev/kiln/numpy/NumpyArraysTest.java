package dev.kiln.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code scripts/reference/numpy_arrays.py}, evaluated through the package's public API by
 * {@link PyEval}, against what NumPy 2.4 gave: the kind of result, dtype, shape, the elements bit for bit
 * (within a few units in the last place for cases marked {@code approx: }), and the exact {@code str} and {@code repr}
 * text; for errors, the message.
 */
class NumpyArraysTest {
    private static final Path CASES = Path.of("src/test/resources/numpy/arrays/cases.tsv");
    private static final String APPROX = "approx: ";

    /** Where Kiln knowingly differs from NumPy, and why. */
    private static final Map<String, String> DIFFERENT = Map.of(
            "np.zeros((100000, 100000, 100))", "NumPy fails to allocate 7.28 TiB (MemoryError); Kiln refuses any "
                    + "array a Java array cannot hold with NumPy's 'array is too big' message",
            "a = np.arange(6); b = a[1:3]; b[0] = 100; a", "a slice is a copy, not a view");

    @TestFactory
    Stream<DynamicTest> everyCaseAsNumPyComputesIt() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(CASES)) {
            String[] f = line.split("\t", -1);
            if (DIFFERENT.containsKey(f[0])) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(f[0], () -> {
                try {
                    check(f);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(f[0] + ": " + e.getMessage(), e);
                }
            }));
        }
        assertTrue(tests.size() > 400, "cases read: " + tests.size());
        return tests.stream();
    }

    private static void check(String[] f) {
        String expr = f[0];
        boolean approx = expr.startsWith(APPROX);
        Object got;
        try {
            got = new PyEval(new NumpyState(0, Path.of("."))).run(approx ? expr.substring(APPROX.length()) : expr);
        } catch (NumpyException e) {
            assertEquals("error", f[1], () -> "unexpected error " + e.getMessage());
            assertEquals(unescape(f[6]), e.getMessage());
            return;
        }
        switch (f[1]) {
            case "error" -> fail("NumPy raised " + f[2] + ": " + unescape(f[6]) + "; got " + describe(got));
            case "py" -> assertEquals(unescape(f[6]), pyRepr(got));
            default -> {
                assertTrue(got instanceof NdArray, () -> "expected an NdArray, got " + describe(got));
                NdArray a = (NdArray) got;
                assertEquals(f[1].equals("scalar"), a.isScalar(), "NumPy scalar or array");
                assertEquals(f[2], a.dtype().numpyName(), "dtype");
                assertEquals(f[3], shapeText(a.shape()), "shape");
                byte[] want = HexFormat.of().parseHex(f[4]);
                byte[] have = NpyFiles.bytes(a);
                if (approx) {
                    assertClose(want, a);
                } else {
                    assertEquals(f[4], HexFormat.of().formatHex(have), () -> "elements differ: NumPy " + unescape(f[6])
                            + ", got " + a.repr());
                    assertEquals(unescape(f[5]), a.str(), "str");
                    assertEquals(unescape(f[6]), a.repr(), "repr");
                }
            }
        }
    }

    private static void assertClose(byte[] want, NdArray a) {
        ByteBuffer in = ByteBuffer.wrap(want).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.size(); i++) {
            double w = a.dtype() == NpType.FLOAT32 ? in.getFloat() : in.getDouble();
            double g = a.doubleAt(i);
            double ulp = a.dtype() == NpType.FLOAT32 ? Math.ulp((float) w) : Math.ulp(w);
            assertTrue(Math.abs(w - g) <= 4 * ulp, "element " + i + ": NumPy " + w + ", got " + g);
        }
    }

    private static String describe(Object v) {
        return v instanceof NdArray a ? a.repr() : pyRepr(v);
    }

    /** Python's repr of a result: tuples are unmodifiable Lists, lists ArrayLists. */
    static String pyRepr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            return Format.float64(d);
        }
        if (v instanceof NdArray a) {
            return a.repr();
        }
        if (v instanceof NpType t) {
            return "dtype('" + t.numpyName() + "')";
        }
        if (v instanceof List<?> l) {
            boolean list = l instanceof ArrayList<?>;
            StringBuilder b = new StringBuilder(list ? "[" : "(");
            for (int i = 0; i < l.size(); i++) {
                b.append(i > 0 ? ", " : "").append(pyRepr(l.get(i)));
            }
            return b.append(list ? "]" : l.size() == 1 ? ",)" : ")").toString();
        }
        return String.valueOf(v);
    }

    private static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? "," : "").append(shape[i]);
        }
        return b.toString();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
