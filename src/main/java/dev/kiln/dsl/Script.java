package dev.kiln.dsl;

import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The text frontend: reads a {@code .kiln} script, which is the graph-building part of a TensorFlow 1
 * Python script, and builds its graph through {@link Tf}.
 *
 * <pre>
 * import tensorflow as tf
 * x = tf.placeholder(tf.float32, shape=(None, 1000))
 * w = tf.Variable(tf.random_normal((1000, 10)))
 * loss = tf.reduce_sum(tf.matmul(x, w) ** 2.0)
 * (grad_w,) = tf.gradients(loss, [w])
 * new_w = w.assign(w - 1e-6 * grad_w)
 * </pre>
 *
 * A statement {@code x = tf.placeholder(...)} (or {@code tf.Variable(...)}) names the placeholder
 * {@code x}; any other {@code NAME = expr} binds {@code NAME} to the node so it can be fetched. Every node
 * is attributed to the file, line and column of the call or operator that built it.
 *
 * <p>Any problem with the script, whether its syntax, a name, an argument or a shape, is reported as a
 * {@link ScriptException} pointing into the script; nothing else is thrown for any input.
 */
public final class Script {
    private Script() {}

    /**
     * Builds the graph of {@code source}.
     *
     * @param source   the script's text
     * @param fileName how positions name the file (e.g. {@code two_layer.kiln})
     * @throws ScriptException for any problem in the script
     */
    public static Graph parse(String source, String fileName) {
        Source src = new Source(source == null ? "" : source, fileName);
        try {
            List<Token> tokens = Lexer.lex(src);
            List<Ast.Stmt> statements = new Parser(src, tokens).parseAll();
            Evaluator evaluator = new Evaluator(src);
            evaluator.run(statements);
            return evaluator.graph();
        } catch (ScriptException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw src.error(src.pos(1, 1), "script nested too deeply");
        } catch (KilnException e) {
            throw src.error(e.pos() != null && e.pos().line() >= 1 ? e.pos() : src.pos(1, 1), e.detail(), e);
        } catch (RuntimeException e) {
            throw src.error(src.pos(1, 1), "internal error: " + e, e);
        }
    }

    /**
     * Builds the graph of the script in {@code file} (UTF-8). Positions name the file by its name
     * without directories, as IR listings do.
     *
     * @throws KilnException naming the file when it cannot be read
     * @throws ScriptException for any problem in the script
     */
    public static Graph parse(Path file) {
        String text = read(file);
        Path name = file.getFileName();
        return parse(text, name == null ? file.toString() : name.toString());
    }

    /** The text of {@code file} (UTF-8), or a {@link KilnException} naming the file. */
    static String read(Path file) {
        String text;
        if (Files.isDirectory(file)) {
            throw new KilnException("cannot read " + file + ": it is a directory");
        }
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KilnException("cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new KilnException("cannot read " + file + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new KilnException("cannot read " + file + ": not valid UTF-8 text");
        } catch (IOException | UncheckedIOException | SecurityException e) {
            throw new KilnException("cannot read " + file + ": " + e.getMessage());
        }
        return text;
    }
}
