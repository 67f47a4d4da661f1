package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden error tests: every {@code NAME.kiln} under {@code src/test/resources/dsl/errors} is a malformed
 * script and {@code NAME.expected} beside it holds the exact one-line message,
 * {@code NAME.kiln:LINE:COL: message}.
 */
class ScriptErrorsTest {
    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(ScriptErrorsTest.class.getResource("/dsl/errors").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".kiln")).sorted().toList();
        }
    }

    @Test
    void thereAreEnoughCases() throws Exception {
        assertTrue(cases().size() >= 30, "only " + cases().size() + " cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheExpectedError(Path script) throws IOException {
        Path expectedFile = Path.of(script.toString().replaceAll("\\.kiln$", ".expected"));
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8).strip();
        ScriptException e = assertThrows(ScriptException.class, () -> Script.parse(script));
        assertEquals(expected, e.getMessage());
        String[] lines = e.fullMessage().split("\n", -1);
        assertEquals(3, lines.length);
        assertEquals(e.getMessage(), lines[0]);
        assertEquals(e.pos().column(), lines[2].length());
        assertTrue(lines[2].endsWith("^"));
        List<String> source = Files.readAllLines(script, StandardCharsets.UTF_8);
        assertEquals(source.get(e.pos().line() - 1), lines[1]);
    }
}
