package dev.kiln.dsl;

import dev.kiln.ir.SourcePos;

/**
 * One token of a script. {@code value} is the number ({@link Long} or {@link Double}) of a NUMBER and the
 * text of a STRING; {@code text} is how the token is spelled (the operator for OP).
 */
record Token(Kind kind, String text, Object value, SourcePos pos) {
    /** INDENT, DEDENT and FSTRING only in whole programs. */
    enum Kind { NAME, NUMBER, STRING, FSTRING, OP, NEWLINE, INDENT, DEDENT, EOF }

    /** An f-string's replacement field: its expression's tokens, the conversion ('r', 's', 'a' or 0), the spec. */
    record FPart(java.util.List<Token> tokens, char conversion, String spec, SourcePos pos) {}

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
    }

    boolean isOp(String op) {
        return kind == Kind.OP && text.equals(op);
    }

    /** How messages name the token: {@code '+'}, {@code 'foo'}, {@code end of line}. */
    String describe() {
        return switch (kind) {
            case NEWLINE -> "end of line";
            case EOF -> "end of file";
            case STRING, FSTRING -> "a string";
            case INDENT -> "an indented block";
            case DEDENT -> "the end of a block";
            default -> "'" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'";
        };
    }
}
