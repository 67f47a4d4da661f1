package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A whole TensorFlow 1 program, as {@code kiln exec} runs it: the graph-building part as a {@code .kiln}
 * script reads it, and the rest (the session loop, NumPy data, printing, saving) in the subset of Python
 * that {@code docs/dsl.md} describes. {@link #parse} reads the whole file first, so a program outside
 * the subset fails before anything runs; {@link #run} then executes it statement by statement, running
 * each {@code sess.run} through the {@link Runner} the host opens for each session.
 *
 * <p>Both throw {@link ScriptException} (one line, {@code FILE:LINE:COL: message}); an error inside a
 * loop also names the iteration.
 */
public final class TfProgram {
    /**
     * Where the program runs: {@code sessions} opens one {@link Runner} per {@code tf.Session()},
     * {@code out} receives what it prints, relative paths ({@code np.load}, savers) resolve against
     * {@code workingDirectory}, and {@code seed} seeds NumPy's global generator until the program calls
     * {@code np.random.seed} (Python would seed it from the operating system).
     */
    public record Host(Supplier<Runner> sessions, PrintStream out, Path workingDirectory, long seed) {}

    private final Source src;
    private final List<Ast.Stmt> statements;

    private TfProgram(Source src, List<Ast.Stmt> statements) {
        this.src = src;
        this.statements = statements;
    }

    /** Reads the program in {@code file} (UTF-8); positions name it without its directories. */
    public static TfProgram parse(Path file) {
        String text = Script.read(file);
        Path name = file.getFileName();
        return parse(text, name == null ? file.toString() : name.toString());
    }

    /** Reads a program's text; {@code fileName} is how positions name it. */
    public static TfProgram parse(String source, String fileName) {
        Source src = new Source(source == null ? "" : source, fileName);
        try {
            List<Token> tokens = Lexer.lex(src, true);
            return new TfProgram(src, new BlockParser(src, tokens).parseProgram());
        } catch (ScriptException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw src.error(src.pos(1, 1), "program nested too deeply");
        } catch (KilnException e) {
            throw src.error(e.pos() != null && e.pos().line() >= 1 ? e.pos() : src.pos(1, 1), e.detail(), e);
        }
    }

    /** Runs the program with {@code host}. */
    public void run(Host host) {
        start(host);
    }

    /**
     * Runs the program with {@code host} and keeps what it left: its names, open sessions and functions,
     * so that a caller (a benchmark, an application embedding a TF1 script) can then call its functions.
     */
    public Instance start(Host host) {
        Evaluator evaluator = new Evaluator(src, host, NameUses.loaded(statements));
        guarded(() -> {
            evaluator.run(statements);
            return null;
        });
        return new Instance(evaluator);
    }

    /** A program that has run: its top-level functions can be called. */
    public final class Instance {
        private final Evaluator evaluator;

        private Instance(Evaluator evaluator) {
            this.evaluator = evaluator;
        }

        /**
         * Calls the program's function {@code name} with no arguments and returns its result: a NumPy
         * {@link dev.kiln.numpy.NdArray}, a {@link Long}, {@link Double}, {@link Boolean}, {@link String}, or
         * another of the program's values.
         */
        public Object call(String name) {
            return guarded(() -> evaluator.callFunction(name));
        }
    }

    private <T> T guarded(Supplier<T> body) {
        try {
            return body.get();
        } catch (ScriptException e) {
            throw e;
        } catch (Statements.JumpSignal | Statements.ReturnSignal e) {
            throw src.error(src.pos(1, 1), "internal error: a jump escaped its loop");
        } catch (StackOverflowError e) {
            throw src.error(src.pos(1, 1), "maximum recursion depth exceeded");
        }
    }
}
