package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@code src/test/resources/python/format_cases.txt}, CPython's own answers written by
 * {@code scripts/reference/python_format.py} (the file's format is described there), against {@link PyFormat}.
 */
class PyFormatTest {
    private static final Path CASES = Path.of("src/test/resources/python/format_cases.txt");

    /** A value formatting does not own, as the reference file describes it. */
    record Opaque(String typeName, Object number, String str, String repr) {}

    /** The interpreter's side, for {@link Opaque} values. */
    static final PyFormat.Host HOST = new PyFormat.Host() {
        @Override
        public String str(Object v) {
            return ((Opaque) v).str();
        }

        @Override
        public String repr(Object v) {
            return ((Opaque) v).repr();
        }

        @Override
        public Object number(Object v) {
            return ((Opaque) v).number();
        }

        @Override
        public String typeName(Object v) {
            return ((Opaque) v).typeName();
        }
    };

    @Test
    void formatValueMatchesCPython() throws IOException {
        check("fmt", f -> PyFormat.formatValue(value(f.get(3)), f.get(2), HOST));
    }

    @Test
    void percentMatchesCPython() throws IOException {
        check("pct", f -> {
            Object args = switch (f.get(3)) {
                case "one" -> value(f.get(4));
                case "tuple" -> {
                    List<Object> values = new ArrayList<>();
                    for (String v : f.subList(4, f.size())) {
                        values.add(value(v));
                    }
                    yield new PyFormat.Tuple(values);
                }
                default -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < f.size() - 4; i += 2) {
                        map.put(f.get(4 + i), value(f.get(5 + i)));
                    }
                    yield map;
                }
            };
            return PyFormat.percent(f.get(2), args, HOST);
        });
    }

    @Test
    void strFormatMatchesCPython() throws IOException {
        check("str", f -> {
            int positional = Integer.parseInt(f.get(3));
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < positional; i++) {
                args.add(value(f.get(4 + i)));
            }
            Map<String, Object> kwargs = new LinkedHashMap<>();
            for (int i = 4 + positional; i < f.size(); i += 2) {
                kwargs.put(f.get(i), value(f.get(i + 1)));
            }
            return PyFormat.format(f.get(2), args, kwargs, HOST);
        });
    }

    @Test
    void floatReprMatchesCPython() throws IOException {
        check("repr", f -> {
            double v = (Double) value(f.get(2));
            String repr = PyFormat.repr(v);
            assertEquals(repr, PyFormat.str(v));
            return repr;
        });
    }

    @Test
    void fieldLookupsBeyondTheNameAreRefusedWithAMessage() {
        PyFormat.FormatError e = assertThrows(PyFormat.FormatError.class,
                () -> PyFormat.format("{0[1]}", List.of(List.of(1L, 2L)), Map.of(), HOST));
        assertTrue(e.getMessage().contains("'{0[1]}'"), e.getMessage());
        assertThrows(PyFormat.FormatError.class, () -> PyFormat.format("{x.real}", List.of(), Map.of("x", 1L), HOST));
        assertEquals("ValueError: Single '}' encountered in format string",
                assertThrows(PyFormat.FormatError.class, () -> PyFormat.format("}", List.of(), Map.of(), HOST)).toString());
    }

    @Test
    void pythonIntsMayBeIntegersAndBigIntegers() {
        assertEquals("   1,000", PyFormat.formatValue(1000, "8,", HOST));
        assertEquals("0x1_0000_0000_0000_0000", PyFormat.formatValue(BigInteger.ONE.shiftLeft(64), "#_x", HOST));
        assertEquals("12 345", PyFormat.percent("%d %d", PyFormat.Tuple.of(12, BigInteger.valueOf(345)), HOST));
    }

    @Test
    void noneMayBeNullWhenTheHostSaysSo() {
        PyFormat.Host host = new PyFormat.Host() {
            @Override
            public String str(Object v) {
                return "None";
            }

            @Override
            public String repr(Object v) {
                return "None";
            }

            @Override
            public Object number(Object v) {
                return null;
            }

            @Override
            public String typeName(Object v) {
                return "NoneType";
            }
        };
        assertEquals("None 1", PyFormat.percent("%s %d", PyFormat.Tuple.of(null, 1L), host));
        assertEquals("None|  None", PyFormat.format("{}|{!s:>6}", Arrays.asList(null, null), Map.of(), host));
        assertEquals("TypeError: %d format: a real number is required, not NoneType",
                assertThrows(PyFormat.FormatError.class, () -> PyFormat.percent("%d", null, host)).toString());
    }

    private interface Case {
        String run(List<String> fields);
    }

    private static void check(String kind, Case c) throws IOException {
        List<String> failures = new ArrayList<>();
        int count = 0;
        List<String> lines = Files.readAllLines(CASES, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (!line.startsWith(kind + "\t")) {
                continue;
            }
            count++;
            List<String> f = new ArrayList<>();
            for (String field : line.split("\t", -1)) {
                f.add(unescape(field));
            }
            String expected = f.get(1);
            String actual;
            try {
                actual = "=" + c.run(f);
            } catch (PyFormat.FormatError e) {
                actual = "!" + e;
            } catch (RuntimeException e) {
                actual = "!!" + e;
            }
            if (!expected.equals(actual)) {
                failures.add("line " + (n + 1) + " " + f.subList(2, f.size()) + ": expected " + expected + ", got "
                        + actual);
            }
        }
        assertTrue(count > 0, "no " + kind + " cases in " + CASES);
        assertTrue(failures.isEmpty(), failures.size() + " of " + count + " " + kind + " cases differ from CPython:\n"
                + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
    }

    private static Object value(String token) {
        String body = token.substring(token.indexOf(':') + 1);
        return switch (token.substring(0, token.indexOf(':'))) {
            case "i" -> {
                BigInteger i = new BigInteger(body);
                yield i.bitLength() < 64 ? (Object) i.longValue() : i;
            }
            case "f" -> switch (body) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> Double.parseDouble(body);
            };
            case "b" -> Boolean.parseBoolean(body.toLowerCase());
            case "s" -> body;
            case "o" -> {
                String[] p = body.split("\u001f", -1);
                yield new Opaque(p[0], p[1].isEmpty() ? null : value(p[1]), p[2], p[3]);
            }
            default -> throw new IllegalArgumentException("value " + token);
        };
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = field.charAt(++i);
            switch (e) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
