package dev.kiln.cli;

import dev.kiln.api.Engine;
import dev.kiln.api.ProgramSession;
import dev.kiln.dsl.TfProgram;
import dev.kiln.ir.KilnException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln exec}: runs a whole TensorFlow 1 program, session loop, NumPy data and printing included
 * ({@link TfProgram}). A program outside the subset Kiln reads fails before anything runs (status 2); a
 * failure while it runs names the line and, in a loop, the iteration (status 1).
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Run a whole TensorFlow 1 program: graph, session loop, NumPy data, printing.")
final class ExecCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program: a TF1 Python file.")
    Path program;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled",
            description = "Which engine runs sess.run: compiled or interpreter (the reference) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the variables' initializers, and of np.random until the program seeds it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--check-numerics",
            description = "Stop at the first NaN or infinity a run reads or computes, naming the node and its line.")
    boolean checkNumerics;

    @Option(names = "--disable-pass", paramLabel = "PASS", description = "Switch an optimizer pass off (repeatable).")
    List<String> disabled = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Engine chosen = engine();
        TfProgram parsed = TfProgram.parse(program); // errors here: status 2, nothing has run
        if (chosen == Engine.COMPILED) {
            dev.kiln.api.Compiler.prepare(new dev.kiln.api.Options()); // the shared kernels compile meanwhile
        }
        dev.kiln.api.Options options = ProgramOptions.options(seed, disabled, checkNumerics);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        PrintStream printed = new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8);
        Path dir = Path.of("").toAbsolutePath();
        try {
            parsed.run(new TfProgram.Host(() -> new ProgramSession(chosen, options), printed, dir, seed));
            return Main.OK;
        } catch (KilnException e) {
            printed.flush();
            out.flush();
            err.println("kiln: error: " + ErrorText.of(e));
            if (spec.commandLine().getParseResult().hasMatchedOption("--debug")) {
                e.printStackTrace(err);
            }
            return Main.RUN_FAILED;
        } finally {
            printed.flush();
            out.flush();
        }
    }

    private Engine engine() {
        try {
            return Engine.parse(engine);
        } catch (KilnException e) {
            throw new KilnException(null, "--engine " + engine + ": " + e.getMessage(), e);
        }
    }

    /** The command's output writer as the byte stream a program prints to. */
    private static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter w;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        WriterStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            w.print(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            w.flush();
        }
    }
}
