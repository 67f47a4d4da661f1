package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.reference.ReferenceCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The canonical program, run whole by {@code kiln exec} on the reference data and initial weights it
 * loads with {@code np.load} ({@code examples/tf1/seed_program_reference.py}), prints the loss of every
 * step within the reference tolerance of TensorFlow's and PyTorch's trajectories, on both engines; and the
 * published program itself, on NumPy data Kiln draws as NumPy would, ends below 1e-2.
 */
class ExecReferenceTest {
    @ParameterizedTest(name = "on the {0} engine")
    @ValueSource(strings = {"compiled", "interpreter"})
    void printsTheReferenceTrajectory(String engine) {
        Cli run = Cli.run("exec", "examples/tf1/seed_program_reference.py", "--engine", engine);
        assertEquals(0, run.status(), run.toString());
        String[] lines = run.lines();
        assertEquals(ReferenceCase.STEPS, lines.length, run.toString());
        float[] losses = new float[lines.length];
        for (int t = 0; t < lines.length; t++) {
            String[] parts = lines[t].split(" ");
            assertEquals(Integer.toString(t), parts[0], lines[t]);
            losses[t] = Float.parseFloat(parts[1]);
        }
        for (String who : new String[] {"tf", "torch"}) {
            double worst = ReferenceCase.checkLosses(who, losses);
            assertTrue(worst <= 1.0, who + ": " + worst + " of the tolerance");
        }
    }

    @ParameterizedTest(name = "on the {0} engine")
    @ValueSource(strings = {"compiled", "interpreter"})
    void thePublishedProgramPrintsFiveLinesEndingBelowOnePercent(String engine) {
        Cli run = Cli.run("exec", "examples/tf1/seed_program.py", "--engine", engine);
        assertEquals(0, run.status(), run.toString());
        String[] lines = run.lines();
        assertEquals(5, lines.length, run.toString());
        for (int k = 0; k < 5; k++) {
            assertTrue(lines[k].startsWith((100 * k + 99) + " "), lines[k]);
            assertTrue(!lines[k].contains("E"), "Python prints 6.6e-05, not 6.6E-5: " + lines[k]);
        }
        assertTrue(Float.parseFloat(lines[4].split(" ")[1]) < 1e-2f, lines[4]);
    }
}
