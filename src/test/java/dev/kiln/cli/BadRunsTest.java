package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-run corpus: each case of {@code src/test/resources/runs/bad_runs.txt} is a {@code kiln}
 * command line and the exit status and one line it must print on standard error, exactly. In both,
 * {@code $M} is the model {@code runs/linear.kiln}, {@code $R} the model {@code runs/rows_of_five.kiln}
 * and {@code $T} a directory of fixtures ({@link BadRunFixtures}). Every case must also print nothing on
 * standard output, no stack trace, and leave the fixtures as they were: no file written, half-written or
 * left behind.
 */
class BadRunsTest {
    static final Path CORPUS = Path.of("src/test/resources/runs/bad_runs.txt");
    private static final String MODEL = "src/test/resources/runs/linear.kiln";
    private static final String ROWS_MODEL = "src/test/resources/runs/rows_of_five.kiln";

    @TempDir
    static Path fixtures;

    /** One case: the command line and the expected status and standard error, before substitution. */
    record Case(String command, int status, String stderr, int line) {
        @Override
        public String toString() {
            return "kiln " + command;
        }
    }

    @BeforeAll
    static void writeFixtures() throws IOException {
        BadRunFixtures.write(fixtures);
    }

    static List<Case> cases() throws IOException {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        String command = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (command == null) {
                command = l;
                continue;
            }
            int space = l.indexOf(' ');
            assertTrue(space > 0 && l.substring(0, space).matches("\\d"), CORPUS + ":" + (i + 1)
                    + ": expected 'STATUS STDERR-LINE' after the command line, got " + l);
            cases.add(new Case(command, Integer.parseInt(l.substring(0, space)), l.substring(space + 1), i + 1));
            command = null;
        }
        assertTrue(command == null, CORPUS + ": the last command line has no expected output");
        return cases;
    }

    @Test
    void theCorpusIsLargeAndCoversBothCommands() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 50, "only " + cases.size() + " bad runs");
        assertTrue(cases.stream().filter(c -> c.command().startsWith("train ")).count() >= 20);
        assertTrue(cases.stream().filter(c -> c.command().startsWith("run ")).count() >= 15);
        assertEquals(cases.size(), cases.stream().map(Case::command).distinct().count(), "a case is repeated");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsItsOneLineAndLeavesNoFileBehind(Case c) throws IOException {
        Map<String, Integer> before = snapshot(fixtures);
        Cli r = Cli.run(substitute(c.command()).split(" +"));
        String where = CORPUS + ":" + c.line() + "\n" + r;
        assertEquals(substitute(c.stderr()), r.err().stripTrailing(), where);
        assertEquals(c.status(), r.status(), where);
        assertFalse(r.err().stripTrailing().contains("\n"), "one line: " + where);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + where);
        assertEquals("", r.out(), where);
        assertEquals(before, snapshot(fixtures), "the fixtures changed: " + where);
    }

    private static String substitute(String s) {
        return s.replace("$M", MODEL).replace("$R", ROWS_MODEL).replace("$T", fixtures.toString());
    }

    /** Every file and directory under {@code dir} with a hash of its content (0 for a directory). */
    static Map<String, Integer> snapshot(Path dir) throws IOException {
        Map<String, Integer> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? 0 : Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return files;
    }
}
