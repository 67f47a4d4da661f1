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
        super(oneLine(pos == null || pos == SourcePos.UNKNOWN ? message : pos + ": " + message), cause);
        this.pos = pos;
        this.detail = oneLine(message);
    }

    /** Where the problem is, or {@code null}. */
    public SourcePos pos() {
        return pos;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }

    /**
     * {@code s} with its line breaks and other control characters escaped as Python would show them
     * ({@code \n}, {@code \x1b}, {@code \u2028}), so that a message that quotes a user's string or file
     * name is still one line. Tabs are kept.
     */
    public static String oneLine(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (!control) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '\r') {
                    b.append("\\r");
                } else {
                    b.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
