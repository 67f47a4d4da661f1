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

    private final Source src;
    private final String s;
    private final List<Token> out = new ArrayList<>();
    private final Deque<Token> open = new ArrayDeque<>();
    private int i;
    private int line = 1;
    private int col = 1;

    private Lexer(Source src) {
        this.src = src;
        this.s = src.text();
    }

    static List<Token> lex(Source src) {
        Lexer l = new Lexer(src);
        l.run();
        return l.out;
    }

    private void run() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f') {
                advance();
            } else if (c == '\n' || c == '\r') {
                newline(here());
                advance();
            } else if (c == '#') {
                SourcePos at = here();
                while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    advance();
                }
                newline(at);
            } else if (c == '\\') {
                SourcePos at = here();
                advance();
                if (i < s.length() && s.charAt(i) == '\r') {
                    advance();
                    if (i < s.length() && s.charAt(i) == '\n') {
                        advance();
                    }
                } else if (i < s.length() && s.charAt(i) == '\n') {
                    advance();
                } else if (i < s.length()) {
                    throw src.error(at, "unexpected character '\\' (a line continuation must end the line)");
                }
            } else if (isDigit(c) || (c == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1)))) {
                number();
            } else if (isNameStart(c)) {
                SourcePos at = here();
                int start = i;
                while (i < s.length() && isNamePart(s.charAt(i))) {
                    advance();
                }
                out.add(new Token(Kind.NAME, s.substring(start, i), null, at));
            } else if (c == '\'' || c == '"') {
                string();
            } else {
                operator();
            }
        }
        if (!open.isEmpty()) {
            Token t = open.peek();
            throw src.error(t.pos(), "'" + t.text() + "' was never closed");
        }
        newline(here());
        out.add(new Token(Kind.EOF, "", null, here()));
    }

    private void operator() {
        SourcePos at = here();
        for (String op : OPS) {
            if (s.startsWith(op, i)) {
                for (int k = 0; k < op.length(); k++) {
                    advance();
                }
                Token t = new Token(Kind.OP, op, null, at);
                if (op.equals("(") || op.equals("[")) {
                    open.push(t);
                } else if (op.equals(")") || op.equals("]")) {
                    String want = op.equals(")") ? "(" : "[";
                    if (open.isEmpty()) {
                        throw src.error(at, "unmatched '" + op + "'");
                    }
                    Token o = open.pop();
                    if (!o.text().equals(want)) {
                        throw src.error(at, "closing '" + op + "' does not match the '" + o.text() + "' at line "
                                + o.pos().line() + ", column " + o.pos().column());
                    }
                }
                out.add(t);
                return;
            }
        }
        char c = s.charAt(i);
        throw src.error(at, "unexpected character " + describeChar(s.codePointAt(i))
                + (c == '{' || c == '}' ? " (dicts and sets are not supported)" : ""));
    }

    private void number() {
        SourcePos at = here();
        int start = i;
        boolean isFloat = false;
        digits();
        if (i < s.length() && s.charAt(i) == '.') {
            isFloat = true;
            advance();
            digits();
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int save = i;
            int saveCol = col;
            advance();
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                advance();
            }
            if (i < s.length() && isDigit(s.charAt(i))) {
                isFloat = true;
                digits();
            } else {
                i = save;
                col = saveCol;
            }
        }
        boolean bad = false;
        while (i < s.length() && (isNamePart(s.charAt(i)) || s.charAt(i) == '.')) {
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
        while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            advance();
        }
    }

    private void string() {
        SourcePos at = here();
        int start = i;
        char q = s.charAt(i);
        boolean triple = s.startsWith("" + q + q + q, i);
        int skip = triple ? 3 : 1;
        for (int k = 0; k < skip; k++) {
            advance();
        }
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length() || (!triple && (s.charAt(i) == '\n' || s.charAt(i) == '\r'))) {
                throw src.error(at, "unterminated string");
            }
            char c = s.charAt(i);
            if (c == q && (!triple || s.startsWith("" + q + q + q, i))) {
                for (int k = 0; k < skip; k++) {
                    advance();
                }
                break;
            }
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                advance();
                advance();
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '\\', '\'', '"' -> b.append(e);
                    case '\n', '\r' -> { }
                    default -> b.append('\\').append(e);
                }
                continue;
            }
            b.append(c);
            advance();
        }
        out.add(new Token(Kind.STRING, s.substring(start, i), b.toString(), at));
    }

    /** Ends the logical line, unless inside brackets or the line had no tokens. */
    private void newline(SourcePos at) {
        if (open.isEmpty() && !out.isEmpty() && out.get(out.size() - 1).kind() != Kind.NEWLINE) {
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
