package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two digits classifiers of {@code examples/}, run by the very command their header comment gives, on
 * both engines: each reaches its test accuracy (softmax regression 0.93, the Adam MLP 0.96), and the same
 * command prints the same lines every time. The MLP's optimized IR steps each variable with its slots in one
 * node, and the weights' gradients are never buffers.
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

    @Test
    void theAdamMlpStepsEachVariableInOneNodeAndItsWeightsWithoutAGradientBuffer() {
        Cli ir = Cli.run("ir", "--optimized", "examples/digits_mlp.kiln");
        assertEquals(0, ir.status(), ir.toString());
        java.util.regex.Pattern adam = java.util.regex.Pattern.compile("%\\d+ \\S+ = (\\S*update) %\\d+, %\\d+, (%\\d+),.*");
        List<String> steps = new ArrayList<>();
        for (String line : ir.lines()) {
            java.util.regex.Matcher m = adam.matcher(line);
            if (m.matches()) {
                steps.add(m.group(1) + " " + m.group(2)); // the op and the variable it steps with its two slots
            }
            assertTrue(!line.matches("%\\d+ \\S+ = matmul .*"), "a product on its own, with a buffer: " + line);
        }
        // w1 (%2), b1 (%3), w2 (%4) and b2 (%5), each one node; the weights' gradients are products in it
        assertEquals(List.of("matmul_update %2", "update %3", "matmul_update %4", "update %5"), steps, ir.out());
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
