package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.SourcePos;

/**
 * A problem in a {@code .kiln} script: a syntax error, an unknown name or function, a bad argument, or a
 * shape error raised while the graph was built. {@link #getMessage()} is the one line
 * {@code FILE:LINE:COL: message}; {@link #fullMessage()} adds the offending source line and a caret
 * under the column, as compilers print it:
 *
 * <pre>
 * two_layer.kiln:11:5: matmul('x' f32[?,1000], 'w2' f32[100,10]): inner dimensions do not match: 1000 vs 100
 * h = tf.matmul(x, w2)
 *     ^
 * </pre>
 *
 * The position is never {@link SourcePos#UNKNOWN}: line and column are 1-based.
 */
public final class ScriptException extends KilnException {
    private final String sourceLine;
    private final boolean placed;

    /**
     * @param pos        where the problem is (file, 1-based line and column)
     * @param message    what is wrong, without the position (line breaks in it are escaped)
     * @param sourceLine the text of line {@code pos.line()} of the script, without its line ending
     * @param cause      the exception this one explains, or null
     */
    public ScriptException(SourcePos pos, String message, String sourceLine, Throwable cause) {
        this(pos, message, sourceLine, cause, false);
    }

    private ScriptException(SourcePos pos, String message, String sourceLine, Throwable cause, boolean placed) {
        super(pos, message == null ? "error" : message, cause);
        this.sourceLine = sourceLine == null ? "" : sourceLine;
        this.placed = placed;
    }

    /**
     * This error with {@code where} (e.g. {@code in iteration 37 of the loop at line 44}) added to its
     * message, once: an error already placed by an inner loop is returned as it is.
     */
    public ScriptException placedIn(String where) {
        if (placed) {
            return this;
        }
        return new ScriptException(pos(), detail() + " (" + where + ")", sourceLine, getCause(), true);
    }

    public ScriptException(SourcePos pos, String message, String sourceLine) {
        this(pos, message, sourceLine, null);
    }

    /** The text of the script line the error is on (without its line ending). */
    public String sourceLine() {
        return sourceLine;
    }

    /** Spaces (and the line's own tabs, so it lines up however tabs are shown) then {@code ^} under the column. */
    public String caretLine() {
        int col = Math.max(1, pos().column());
        StringBuilder b = new StringBuilder(col);
        for (int i = 0; i < col - 1; i++) {
            b.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
        }
        return b.append('^').toString();
    }

    /**
     * The three-line form: {@link #getMessage()}, then the offending source line, then a caret under the
     * column. Lines are separated by {@code \n}; there is no trailing newline.
     */
    public String fullMessage() {
        return getMessage() + "\n" + sourceLine + "\n" + caretLine();
    }
}
