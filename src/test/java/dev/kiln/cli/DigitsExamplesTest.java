package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two digits classifiers of {@code examples/}, run by the very command their header comment gives, on
 * both engines: each reaches its test accuracy (softmax regression 0.93, the Adam MLP 0.96), and the same
 * command prints the same lines every time.
 */
class DigitsExamplesTest {
    /** The command in the example's header comment, as arguments after {@code ./kiln}. */
    static List<String> command(String example) throws IOException {
        StringBuilder cmd = new StringBuilder();
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("examples", example))) {
            in |= line.startsWith("#   ./kiln ");
            if (in) {
                cmd.append(line.substring(1).replace("\\", " ")).append(' ');
                if (!line.endsWith("\\")) {
                    break;
                }
            }
        }
        List<String> args = new ArrayList<>(Arrays.asList(cmd.toString().trim().split("\\s+")));
        assertEquals("./kiln", args.remove(0), example + ": its header gives the command to run");
        return args;
    }

    @ParameterizedTest(name = "{0} on the {1} engine")
    @CsvSource({"digits_softmax.kiln, compiled, 0.93", "digits_softmax.kiln, interpreter, 0.93",
        "digits_mlp.kiln, compiled, 0.96", "digits_mlp.kiln, interpreter, 0.96"})
    void reachesItsTestAccuracyDeterministically(String example, String engine, float least) throws IOException {
        List<String> args = command(example);
        args.addAll(List.of("--engine", engine));
        Cli first = Cli.run(args.toArray(new String[0]));
        assertEquals(0, first.status(), first.toString());
        String[] lines = first.lines();
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("accuracy "), first.toString());
        float accuracy = Float.parseFloat(last.substring("accuracy ".length()));
        assertTrue(accuracy >= least, example + " on " + engine + ": test accuracy " + accuracy + " < " + least);
        if (engine.equals("compiled")) {
            Cli again = Cli.run(args.toArray(new String[0]));
            assertEquals(first.out(), again.out(), "the same command, the same lines");
        }
    }
}
