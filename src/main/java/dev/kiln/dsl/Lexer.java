package dev.kiln.dsl;

import dev.kiln.dsl.Token.Kind;
import dev.kiln.ir.SourcePos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a script into tokens, as Python does for the subset Kiln reads: names, numbers, strings,
 * operators, and a NEWLINE at the end of each logical line. Comments ({@code #}) and blank lines are
 * skipped; newlines inside {@code ()} and {@code []} are ignored, as is a newline after a backslash.
 * Brackets are checked here, so the parser only ever sees balanced ones.
 */
final class Lexer {
    private static final String[] OPS = {
        "**=", "//=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "@=",
        "(", ")", "[", "]", ",", "=", ".", "+", "-", "*", "/", "%", "@", ":", ";", "<", ">",
    };
    /** What a whole program may use besides. */
    private static final String[] PROGRAM_OPS = {"{", "}", "&=", "|=", "^=", "&", "|", "^", "~"};

    private final Source src;
    private final String s;
    /** A whole program ({@code kiln exec}): blocks by indentation, dicts, f-strings. */
    private final boolean program;
    private final List<Token> out = new ArrayList<>();
    private final Deque<Token> open = new ArrayDeque<>();
    private final Indentation indents;
    private int i;
    private int end;
    private int line = 1;
    private int col = 1;
    private boolean lineStart = true;
    /** 1 while lexing an f-string's expression, which counts as bracketed. */
    private int implicitOpen;

    private Lexer(Source src, boolean program) {
        this.src = src;
        this.s = src.text();
        this.program = program;
        this.end = s.length();
        this.indents = new Indentation(src, out);
    }

    /** The tokens of a {@code .kiln} script. */
    static List<Token> lex(Source src) {
        return lex(src, false);
    }

    /** The tokens of a script, or with {@code program} of a whole program (INDENT and DEDENT tokens too). */
    static List<Token> lex(Source src, boolean program) {
        Lexer l = new Lexer(src, program);
        l.run();
        l.newline(l.here());
        if (program) {
            l.indents.closeAll(l.here());
        }
        l.out.add(new Token(Kind.EOF, "", null, l.here()));
        return l.out;
    }

    /** The tokens of the expression between {@code from} and {@code to} in an f-string, at its position. */
    static List<Token> lexPart(Source src, int from, int to, int line, int col) {
        Lexer l = new Lexer(src, true);
        l.i = from;
        l.end = to;
        l.line = line;
        l.col = col;
        l.lineStart = false;
        l.open.push(new Token(Kind.OP, "(", null, l.here())); // newlines inside are ignored, as in brackets
        l.implicitOpen = 1;
        l.run();
        l.out.add(new Token(Kind.EOF, "", null, l.here()));
        return l.out;
    }

    private void run() {
        while (i < end) {
            char c = s.charAt(i);
            if (lineStart && program && open.isEmpty()) {
                lineStart = false;
                indentation();
            } else if (c == ' ' || c == '\t' || c == '\f') {
                advance();
            } else if (c == '\n' || c == '\r') {
                newline(here());
                advance();
                lineStart = true;
            } else if (c == '#') {
                SourcePos at = here();
                while (i < end && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    advance();
                }
                newline(at);
            } else if (c == '\\') {
                SourcePos at = here();
                advance();
                if (i < end && s.charAt(i) == '\r') {
                    advance();
                    if (i < end && s.charAt(i) == '\n') {
                        advance();
                    }
                } else if (i < end && s.charAt(i) == '\n') {
                    advance();
                } else if (i < end) {
                    throw src.error(at, "unexpected character '\\' (a line continuation must end the line)");
                }
            } else if (isDigit(c) || (c == '.' && i + 1 < end && isDigit(s.charAt(i + 1)))) {
                number();
            } else if (isNameStart(c)) {
                SourcePos at = here();
                int start = i;
                while (i < end && isNamePart(s.charAt(i))) {
                    advance();
                }
                String name = s.substring(start, i);
                if (program && i < end && (s.charAt(i) == '\'' || s.charAt(i) == '"') && isPrefix(name)) {
                    string(at, name.toLowerCase(java.util.Locale.ROOT));
                } else {
                    out.add(new Token(Kind.NAME, name, null, at));
                }
            } else if (c == '\'' || c == '"') {
                string(here(), "");
            } else {
                operator();
            }
        }
        if (open.size() > implicitOpen) {
            Token t = open.peek();
            throw src.error(t.pos(), "'" + t.text() + "' was never closed");
        }
    }

    /** The indentation at the start of a logical line: INDENT or DEDENT tokens when it changes. */
    private void indentation() {
        int width = 0;
        int narrow = 0;
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
            width = s.charAt(i) == '\t' ? (width / 8 + 1) * 8 : s.charAt(i) == ' ' ? width + 1 : 0;
            narrow = s.charAt(i) == '\f' ? 0 : narrow + 1;
            advance();
        }
        if (i >= end || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '#' || s.charAt(i) == '\\') {
            return; // a blank or comment-only line does not count
        }
        indents.line(width, narrow, here());
    }

    private static boolean isPrefix(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "f", "r", "fr", "rf", "b", "u" -> true;
            default -> false;
        };
    }

    private void operator() {
        if (program && s.startsWith(":=", i) && i + 2 <= end) {
            throw src.error(here(), "assignment expressions (':=') are not supported; assign on a line of its own");
        }
        if (!operator(OPS) && !(program && operator(PROGRAM_OPS))) {
            char c = s.charAt(i);
            throw src.error(here(), "unexpected character " + describeChar(s.codePointAt(i))
                    + (c == '{' || c == '}' ? " (dicts and sets are not supported)" : ""));
        }
    }

    private boolean operator(String[] ops) {
        SourcePos at = here();
        for (String op : ops) {
            if (s.startsWith(op, i) && i + op.length() <= end) {
                for (int k = 0; k < op.length(); k++) {
                    advance();
                }
                Token t = new Token(Kind.OP, op, null, at);
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    open.push(t);
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    String want = op.equals(")") ? "(" : op.equals("]") ? "[" : "{";
                    if (open.size() <= implicitOpen) {
                        throw src.error(at, "unmatched '" + op + "'");
                    }
                    Token o = open.pop();
                    if (!o.text().equals(want)) {
                        throw src.error(at, "closing '" + op + "' does not match the '" + o.text() + "' at line "
                                + o.pos().line() + ", column " + o.pos().column());
                    }
                }
                out.add(t);
                return true;
            }
        }
        return false;
    }

    private void number() {
        SourcePos at = here();
        int start = i;
        boolean isFloat = false;
        digits();
        if (i < end && s.charAt(i) == '.') {
            isFloat = true;
            advance();
            digits();
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int save = i;
            int saveCol = col;
            advance();
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                advance();
            }
            if (i < end && isDigit(s.charAt(i))) {
                isFloat = true;
                digits();
            } else {
                i = save;
                col = saveCol;
            }
        }
        boolean bad = false;
        while (i < end && (isNamePart(s.charAt(i)) || s.charAt(i) == '.')) {
            bad = true;
            advance();
        }
        String text = s.substring(start, i);
        String clean = text.replace("_", "");
        if (bad || !isNumber(text)) {
            throw src.error(at, "invalid number '" + shorten(text) + "'");
        }
        if (!isFloat && text.length() > 1 && text.charAt(0) == '0' && !clean.chars().allMatch(c -> c == '0')) {
            throw src.error(at, "invalid number '" + shorten(text) + "': leading zeros are not allowed in an int"
                    + " (octal is not supported)");
        }
        Object value;
        if (isFloat) {
            double d = Double.parseDouble(clean);
            if (Double.isInfinite(d)) {
                throw src.error(at, "number " + shorten(text) + " is too large");
            }
            value = d;
        } else {
            try {
                value = Long.parseLong(clean);
            } catch (NumberFormatException e) {
                throw src.error(at, "number " + shorten(text) + " is too large");
            }
        }
        out.add(new Token(Kind.NUMBER, text, value, at));
    }

    /**
     * True when {@code t} is a decimal int or float as Python spells it: digits with single underscores
     * between them, an optional fraction, an optional exponent. Checked by hand: a regular expression
     * recurses once per digit and overflows the stack on a number thousands of digits long.
     */
    static boolean isNumber(String t) {
        int n = t.length();
        int i = digitRun(t, 0);
        boolean digits = i > 0;
        if (i < n && t.charAt(i) == '.') {
            int j = digitRun(t, i + 1);
            digits |= j > i + 1;
            i = j;
        }
        if (!digits) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int j = digitRun(t, i);
            if (j == i) {
                return false;
            }
            i = j;
        }
        return i == n;
    }

    /** The end of the digits starting at {@code i}, each {@code _} between two digits. */
    private static int digitRun(String t, int i) {
        int start = i;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (isDigit(c) || (c == '_' && i > start && i + 1 < t.length() && isDigit(t.charAt(i + 1)))) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private void digits() {
        while (i < end && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            advance();
        }
    }

    /**
     * A string literal at {@code at}; {@code prefix} is its lower-cased prefix ({@code f}, {@code r},
     * {@code rf}...; {@code b} and {@code u} read as plain strings). An f-string becomes an FSTRING token
     * whose value is its parts: text, and {@link Token.FPart}s for the replacement fields.
     */
    private void string(SourcePos at, String prefix) {
        int start = i - prefix.length();
        boolean raw = prefix.contains("r");
        boolean f = prefix.contains("f");
        char q = s.charAt(i);
        boolean triple = s.startsWith("" + q + q + q, i);
        int skip = triple ? 3 : 1;
        for (int k = 0; k < skip; k++) {
            advance();
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= end || (!triple && (s.charAt(i) == '\n' || s.charAt(i) == '\r'))) {
                throw src.error(at, f ? "unterminated f-string" : "unterminated string");
            }
            char c = s.charAt(i);
            if (c == q && (!triple || s.startsWith("" + q + q + q, i))) {
                for (int k = 0; k < skip; k++) {
                    advance();
                }
                break;
            }
            if (c == '\\' && i + 1 < end) {
                char e = s.charAt(i + 1);
                advance();
                advance();
                if (raw) {
                    b.append('\\').append(e);
                    continue;
                }
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '\\', '\'', '"' -> b.append(e);
                    case '\n', '\r' -> { }
                    default -> b.append('\\').append(e);
                }
                continue;
            }
            if (f && (c == '{' || c == '}')) {
                if (i + 1 < end && s.charAt(i + 1) == c) {
                    advance();
                    advance();
                    b.append(c);
                    continue;
                }
                if (c == '}') {
                    throw src.error(here(), "f-string: single '}' is not allowed");
                }
                if (b.length() > 0) {
                    parts.add(b.toString());
                    b.setLength(0);
                }
                parts.add(field(q));
                continue;
            }
            b.append(c);
            advance();
        }
        if (!f) {
            out.add(new Token(Kind.STRING, s.substring(start, i), b.toString(), at));
            return;
        }
        if (b.length() > 0) {
            parts.add(b.toString());
        }
        out.add(new Token(Kind.FSTRING, s.substring(start, i), List.copyOf(parts), at));
    }

    /** An f-string's replacement field {@code {expr!c:spec}}, from its '{'. */
    private Token.FPart field(char quote) {
        SourcePos brace = here();
        advance();
        int from = i;
        int line0 = line;
        int col0 = col;
        int depth = 0;
        while (true) {
            if (i >= end || s.charAt(i) == quote || s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                throw src.error(brace, "f-string: expecting '}'");
            }
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == '}' || c == ':' || (c == '!' && i + 1 < end && s.charAt(i + 1) != '='))) {
                break;
            } else if (c == '\'' || c == '"') {
                throw src.error(here(), "f-string: strings inside replacement fields are not supported");
            }
            advance();
        }
        int to = i;
        if (s.substring(from, to).isBlank()) {
            throw src.error(brace, "f-string: empty expression not allowed");
        }
        List<Token> tokens = lexPart(src, from, to, line0, col0);
        char conversion = 0;
        if (s.charAt(i) == '!') {
            advance();
            conversion = i < end ? s.charAt(i) : 0;
            if (conversion != 'r' && conversion != 's' && conversion != 'a') {
                throw src.error(here(), "f-string: invalid conversion character: expected 's', 'r', or 'a'");
            }
            advance();
        }
        StringBuilder spec = new StringBuilder();
        if (i < end && s.charAt(i) == ':') {
            advance();
            while (i < end && s.charAt(i) != '}' && s.charAt(i) != quote && s.charAt(i) != '\n') {
                if (s.charAt(i) == '{') {
                    throw src.error(here(), "f-string: nested replacement fields in a format spec are not supported");
                }
                spec.append(s.charAt(i));
                advance();
            }
        }
        if (i >= end || s.charAt(i) != '}') {
            throw src.error(brace, "f-string: expecting '}'");
        }
        advance();
        return new Token.FPart(tokens, conversion, spec.toString(), brace);
    }

    /** Ends the logical line, unless inside brackets or the line had no tokens. */
    private void newline(SourcePos at) {
        if (open.size() <= implicitOpen && !out.isEmpty() && out.get(out.size() - 1).kind() != Kind.NEWLINE) {
            out.add(new Token(Kind.NEWLINE, "", null, at));
        }
    }

    private void advance() {
        char c = s.charAt(i++);
        if (c == '\n' || (c == '\r' && (i >= s.length() || s.charAt(i) != '\n'))) {
            line++;
            col = 1;
        } else if (c != '\r') {
            col++;
        }
    }

    private SourcePos here() {
        return src.pos(line, col);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return c < 128 && (Character.isLetter(c) || c == '_');
    }

    private static boolean isNamePart(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private static String shorten(String t) {
        return t.length() > 40 ? t.substring(0, 37) + "..." : t;
    }

    static String describeChar(int cp) {
        if (cp >= 0x20 && cp < 0x7f) {
            return "'" + (char) cp + "'";
        }
        return String.format("U+%04X", cp);
    }
}
