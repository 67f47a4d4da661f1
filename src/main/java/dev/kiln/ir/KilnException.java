package dev.kiln.ir;

/**
 * A problem with what the user gave Kiln: a script, a graph, a feed, a file. Its message is one line a
 * user can act on and, where one is known, starts with the place ({@code file:line:column: }).
 * Everything else Kiln throws is an internal error.
 */
public class KilnException extends RuntimeException {
    private final transient SourcePos pos;
    private final String detail;

    public KilnException(String message) {
        this(null, message, null);
    }

    public KilnException(SourcePos pos, String message) {
        this(pos, message, null);
    }

    public KilnException(SourcePos pos, String message, Throwable cause) {
        super(pos == null || pos == SourcePos.UNKNOWN ? message : pos + ": " + message, cause);
        this.pos = pos;
        this.detail = message;
    }

    /** Where the problem is, or {@code null}. */
    public SourcePos pos() {
        return pos;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }
}
