package dev.kiln.dsl;

/**
 * Python's {@code repr} of a str: single quotes unless the text holds a single quote and no double quote,
 * backslash escapes for the backslash, the quote, tab, newline and carriage return, and hexadecimal escapes
 * (backslash and x with two digits, u with four, U with eight) for characters that do not print (controls, format characters,
 * separators other than the space, surrogates, private use and unassigned code points).
 */
final class PyStringRepr {
    private PyStringRepr() {}

    /** {@code repr(s)}. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c == quote) {
                        out.append('\\').append((char) c);
                    } else if (c < ' ' || c == 0x7f || c >= 0x80 && !printable(c)) {
                        out.append(escape(c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append(quote).toString();
    }

    /** {@code text} with every non-ASCII character written as its escape, as {@code ascii()} finishes a repr. */
    static String escapeNonAscii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c < 0x80) {
                out.append((char) c);
            } else {
                out.append(escape(c));
            }
        });
        return out.toString();
    }

    private static String escape(int c) {
        if (c < 0x100) {
            return String.format("\\x%02x", c);
        }
        return c < 0x10000 ? String.format("\\u%04x", c) : String.format("\\U%08x", c);
    }

    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
