package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every whole TF1 program of {@code examples/tf1/} run by {@code kiln exec} on both engines prints its
 * expected output, {@code NAME.out} beside it: the same text, the same integers, and floating-point numbers
 * within 2% (engines and backends sum in different orders, and the late steps of the canonical program
 * amplify that; {@code ExecReferenceTest} holds that program to the reference trajectory's own tolerance).
 * A second run on the compiled engine prints exactly the same as the first.
 */
class ExecExamplesTest {
    static List<String> programs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples", "tf1"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void printsItsExpectedOutputOnBothEngines(String program) throws IOException {
        Path file = Path.of("examples", "tf1", program);
        Path expected = Path.of("examples", "tf1", program.replaceAll("\\.py$", ".out"));
        assertTrue(Files.exists(expected), "no expected output " + expected);
        String want = Files.readString(expected, StandardCharsets.UTF_8);
        String first = null;
        for (String engine : List.of("compiled", "interpreter", "compiled")) {
            Cli run = Cli.run("exec", file.toString(), "--engine", engine);
            assertEquals(0, run.status(), program + " on " + engine + ": " + run);
            String problem = OutputMatch.problem(want, run.out());
            assertEquals(null, problem, program + " on the " + engine + " engine printed:\n" + run.out());
            if (engine.equals("compiled")) {
                if (first != null) {
                    assertEquals(first, run.out(), program + ": a second run printed something else");
                }
                first = run.out();
            }
        }
    }
}
