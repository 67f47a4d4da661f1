package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.io.Npy;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --check-numerics} through the command line: a NaN planted in a script's feed is reported as one
 * line {@code kiln: error: FILE:LINE:COL: check-numerics: ...} naming the node, with exit status 1.
 */
class CheckNumericsCommandTest {
    /** log_p, on line 5, is NaN where x is negative. */
    static final String MODEL = """
            import tensorflow as tf

            x = tf.placeholder(tf.float32, shape=(None, 3))
            w = tf.Variable(tf.ones((3, 2)))
            log_p = tf.log(x)
            loss = tf.reduce_sum(tf.matmul(log_p, w) ** 2.0)
            grad_w, = tf.gradients(loss, [w])
            new_w = w.assign(w - 0.01 * grad_w)
            """;

    @TempDir
    Path dir;

    private Path model() throws IOException {
        Path m = dir.resolve("logs.kiln");
        Files.writeString(m, MODEL);
        return m;
    }

    private Path feed(float... x) {
        Path f = dir.resolve("x.npy");
        Npy.write(f, new Tensor(Shape.of(2, 3), x));
        return f;
    }

    /** The node's id in the graph the engine runs: as written (%3, after w's initializer) or optimized (%2). */
    private static String logNode(String engine) {
        return "log %" + (engine.equals("interpreter") ? 3 : 2) + " 'log_p' f32[2,3]";
    }

    private static void assertFailed(Cli r, String message) {
        assertEquals(1, r.status(), r.toString());
        assertEquals("kiln: error: " + message + "\n", r.err(), r.toString());
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreter"})
    void runNamesTheNodeAndItsLine(String engine) throws IOException {
        Cli r = Cli.run("run", model().toString(), "--fetch", "loss", "--engine", engine, "--check-numerics",
                "--feed", "x=" + feed(1, 2, 3, 4, 5, -6));
        assertFailed(r, "logs.kiln:5:9: check-numerics: " + logNode(engine) + " produced NaN at [1, 2]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreter"})
    void trainNamesTheNodeItsLineAndTheStep(String engine) throws IOException {
        Path save = dir.resolve("saved");
        Cli r = Cli.run("train", model().toString(), "--steps", "3", "--print-every", "1", "--engine", engine,
                "--check-numerics", "--feed", "x=" + feed(1, 2, 3, -4, 5, 6), "--save", save.toString());
        assertFailed(r, "logs.kiln:5:9: check-numerics: " + logNode(engine) + " produced NaN at [1, 0] (step 0)");
        try (var files = Files.list(save)) {
            assertEquals(0, files.count(), "nothing saved");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreter"})
    void withoutTheFlagTheNaNIsPrinted(String engine) throws IOException {
        Cli r = Cli.run("train", model().toString(), "--steps", "2", "--print-every", "1", "--engine", engine,
                "--feed", "x=" + feed(1, 2, 3, 4, 5, -6));
        assertEquals(0, r.status(), r.toString());
        assertEquals("0 NaN\n1 NaN\n", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreter"})
    void aCleanRunIsUnchanged(String engine) throws IOException {
        String x = "x=" + feed(1, 2, 3, 4, 5, 6);
        Cli checked = Cli.run("train", model().toString(), "--steps", "3", "--print-every", "1", "--engine", engine,
                "--check-numerics", "--feed", x);
        Cli plain = Cli.run("train", model().toString(), "--steps", "3", "--print-every", "1", "--engine", engine,
                "--feed", x);
        assertEquals(0, checked.status(), checked.toString());
        assertEquals(plain.out(), checked.out());
    }

    /** {@code kiln ir --optimized --check-numerics} prints the graph the compiled engine's message numbers. */
    @Test
    void irPrintsTheGraphTheCompiledEngineChecks() throws IOException {
        Cli r = Cli.run("ir", model().toString(), "--optimized", "--check-numerics");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("%2 f32[64,3] = log %0   # log_p  logs.kiln:5\n"), r.out());
        assertFalse(r.out().contains("sgd_update") || r.out().contains("fused") || r.out().contains("epilogue"), r.out());
        Cli fused = Cli.run("ir", model().toString(), "--optimized");
        assertTrue(fused.out().contains("sgd_update"), fused.out());
    }

    @Test
    void compileWritesTheChecksIntoTheClass() throws IOException {
        Path checked = dir.resolve("checked");
        Path plain = dir.resolve("plain");
        assertEquals(0, Cli.run("compile", model().toString(), "--out", checked.toString(), "--check-numerics").status());
        assertEquals(0, Cli.run("compile", model().toString(), "--out", plain.toString()).status());
        assertTrue(Files.readString(checked.resolve("Kiln_logs.txt")).contains("dev/kiln/runtime/Checks.output"));
        assertFalse(Files.readString(plain.resolve("Kiln_logs.txt")).contains("dev/kiln/runtime/Checks.output"));
    }
}
