package dev.kiln.cli;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.NumericsException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code kiln}: train, run and inspect graphs. Exit status 0 on success, 2 for bad input of any kind
 * (script, flags, files) with a one-line {@code kiln: error: ...} on standard error, 1 for a run that
 * failed (a NaN or infinity found by {@code --check-numerics}, running out of memory: one line too) or an
 * internal error.
 */
@Command(name = "kiln", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Compiles TensorFlow-1-style static graphs into JVM bytecode, and runs them.",
        subcommands = {TrainCommand.class, ExecCommand.class, RunCommand.class, IrCommand.class, CompileCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    /** A run failed: the same status as an internal error, but the message is a user's. */
    public static final int RUN_FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        if (runsCompiledGraphs(args)) {
            // The shared vector kernels take about a second of JIT compiling, and a compiled session waits for
            // them before its first step: start now, so that they compile while picocli starts (a third of a
            // second) and the model is read, instead of after.
            dev.kiln.api.Compiler.prepare(new dev.kiln.api.Options());
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Whether the command line asks to run graphs on the compiled engine: {@code train}, {@code run} or
     * {@code exec} without {@code --engine interpreter}. Only a guess made before the flags are parsed, to
     * start work early; a wrong guess costs a warm-up thread's CPU or its head start, never a result.
     */
    static boolean runsCompiledGraphs(String[] args) {
        if (args.length == 0 || !java.util.Set.of("train", "run", "exec").contains(args[0])) {
            return false;
        }
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--engine=interpreter")
                    || args[i].equals("--engine") && i + 1 < args.length && args[i + 1].equals("interpreter")) {
                return false;
            }
        }
        return true;
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("kiln: error: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace(err);
            }
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, debug, err));
        int status;
        try {
            status = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Bound to a large batch, a model's tensors can outgrow the heap: say so, on one line.
            err.println("kiln: error: out of memory (" + e.getMessage() + "); use a smaller --batch, or give the JVM"
                    + " a larger heap with -Xmx (./kiln reads KILN_JAVA_OPTS)");
            if (debug) {
                e.printStackTrace(err);
            }
            status = INTERNAL_ERROR;
        }
        out.flush();
        err.flush();
        return status;
    }

    static int report(Exception ex, boolean debug, PrintWriter err) {
        if (ex instanceof KilnException k) {
            err.println("kiln: error: " + ErrorText.of(k));
            if (debug) {
                ex.printStackTrace(err);
            }
            return k instanceof NumericsException ? RUN_FAILED : BAD_INPUT;
        }
        err.println("kiln: internal error: " + ex);
        if (debug) {
            ex.printStackTrace(err);
        } else {
            err.println("(run again with --debug for the stack trace, and please report it)");
        }
        return INTERNAL_ERROR;
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kiln " + (v == null ? "(development build)" : v)};
        }
    }
}
