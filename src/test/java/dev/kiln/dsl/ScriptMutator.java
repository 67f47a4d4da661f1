package dev.kiln.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random mutations of a script, for {@link ScriptFuzzTest} ({@link ProgramMutator} mixes these edits with
 * its own): each mutation applies one to four edits drawn from several kinds, so that the parser meets
 * text that is almost right (a token lost, duplicated or swapped; a line repeated, dropped or cut short)
 * as well as text that is badly wrong (control and non-ASCII characters, thousands of brackets, a line a
 * hundred thousand characters long).
 *
 * <p>Tokens are found with a regular expression of its own, not with {@link Lexer}, so that a lexer bug
 * cannot hide itself from the mutations.
 */
final class ScriptMutator {
    /** The kinds of edit, for the report; {@link #mutate} names the ones it used. */
    enum Kind {
        DELETE_TOKEN(4), DUPLICATE_TOKEN(3), SWAP_TOKENS(3), REPLACE_TOKEN(3), INSERT_PUNCTUATION(3),
        INSERT_KEYWORD(2), INSERT_IDENTIFIER(2), INSERT_NUMBER(2), INSERT_SNIPPET(3), TRUNCATE(1), DELETE_CHARS(2),
        INSERT_CHAR(2), REPLACE_CHAR(2), ODD_CHARACTER(2), LINE_EDIT(2), SPLICE(2), LONG_LINE(1), DEEP_NESTING(1);

        /** How often the kind is drawn, relative to the others: the slow ones (long lines, deep nesting) rarely. */
        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        static Kind draw(Random r) {
            return ScriptMutator.weighted(r, values(), k -> k.weight);
        }
    }

    private static final Pattern TOKEN = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9_.eE]*|\\.[0-9]+|'[^'\\n]*'|\"[^\"\\n]*\"|\\*\\*|//|[-+*/%@=<>!]=|#[^\\n]*"
            + "|[^\\sA-Za-z0-9_]");
    private static final String PUNCTUATION = "()[]{},.:;=+-*/%@<>!~^&|'\"\\#$?`";
    private static final String[] OPERATORS = {"**", "//", "==", "+=", "-=", "**=", "->", "...", ":=", "<<", ">>"};
    private static final String[] KEYWORDS = {"import", "from", "as", "def", "class", "for", "in", "if", "else",
        "while", "return", "lambda", "not", "and", "or", "is", "None", "True", "False", "pass", "yield", "with",
        "global", "del", "assert", "async", "await", "print"};
    private static final String[] IDENTIFIERS = {"tf", "np", "x", "y", "w", "w1", "w2", "b", "h", "loss",
        "grad_w", "assign", "placeholder", "Variable", "gradients", "matmul", "reduce_sum", "float32", "nn",
        "compat", "v1", "shape", "name", "axis", "keepdims", "perm", "stddev", "_", "__init__", "tensorflow",
        "numpy", "os", "a".repeat(300)};
    private static final String[] NUMBERS = {"0", "1", "-1", "2", "3", "64", "1000", "0.5", "1e-6", "1e999", "1e",
        "1_000", "1__0", "0x10", "0777", "1.2.3", ".5", "5.", "1e+", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "99999999999999999999999", "3000000000", "2147483648", "1j", "0.0", "-0.0",
        "4.9e-324", "3.5e38", "3.5e39"};
    private static final String[] SNIPPETS = {"tf.", "tf.nn.", "tf.compat.v1.", "np.", "tf.gradients(", ".assign(",
        "import os\n", "import numpy as np\n", "import tensorflow as tf\n", "(((((", ")))))", "[[[", "]]]",
        "tf.reshape(x, (-1, 0))", "tf.constant([[1], [2, 3]])", "tf.transpose(w1, perm=[1, 1])", "h.assign(",
        "tf.reduce_sum(x, axis=5)", "tf.zeros((None, 3))", "tf.int32", "keepdims=", "name=", "1 / 0", "2 ** 64",
        "x = tf.placeholder(tf.float32, shape=(None, 3))\n", "w = tf.Variable(tf.zeros((3, 3)))\n",
        "v = tf.Variable(x)\n", "g, = tf.gradients(loss, [w])\n", "a, b = 1, 2, 3\n", "tf.gradients(loss, [])",
        "tf.constant(1.0, shape=(4096, 4096, 4096))", "tf.zeros(" + "1, ".repeat(40) + ")", "x[0]", "x[1:2]",
        "*args", "**kw", "f(x for x in y)", "'''", "\"\"\"", "\\\n", "\\", " \\ ", "# comment", ";", ";;",
        "lambda: 0", "x if y else z", "tf.matmul(x, x, transpose_a=True, transpose_b=1)", "tf.float32(1)",
        "tf.placeholder(tf.float32, shape=(None, None))", "tf.random_normal((2, 2), stddev=-1)", "name='x'",
        "name=''", "name=None", "tf.Variable(tf.zeros(2), name='x')", "tf.assign(x, 1.0)", "tf.assign(1, x)",
        "tf.reduce_mean(x, reduction_indices=[0], axis=1)", "tf.pow(x, x)", "tf.pow(2, -1)", "0 ** -1",
        "(-8) ** 0.5", "True + True", "None + 1", "[] + []", "() * 3", "'a' * 3", "tf.constant([])",
        "tf.constant([[]])", "tf.constant(True)", "tf.zeros(2147483647)", "tf.zeros((65536, 65536))"};
    private static final String[] ODD = {"\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\r", "\r\n", "\f",
        "\u000b", "\t", "\u00a0", "\u00e9", "\u00df", "\u0130", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff",
        "\ud800", "\udc00", "\udc00\ud800", "\ud83d\ude00", "\u200b", "\u0301", "\u202e", "\u3000", "\uff08",
        "\u00b2", "\u0660", "\uff11", "\u2212"};

    private ScriptMutator() {}

    /** Applies one to four random edits to {@code text} (mostly one); {@code others} are texts to splice lines from. */
    static String mutate(String text, List<String> others, Random r) {
        StringBuilder b = new StringBuilder(text);
        int edits = r.nextInt(3) == 0 ? 2 + r.nextInt(3) : 1;
        for (int k = 0; k < edits; k++) {
            apply(Kind.draw(r), b, others, r);
        }
        return b.toString();
    }

    static void apply(Kind kind, StringBuilder b, List<String> others, Random r) {
        switch (kind) {
            case DELETE_TOKEN, DUPLICATE_TOKEN, SWAP_TOKENS, REPLACE_TOKEN -> tokenEdit(kind, b, r);
            case INSERT_PUNCTUATION -> insert(b, r, r.nextInt(4) == 0 ? pick(OPERATORS, r)
                    : String.valueOf(PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()))));
            case INSERT_KEYWORD -> insert(b, r, spaced(pick(KEYWORDS, r), r));
            case INSERT_IDENTIFIER -> insert(b, r, spaced(pick(IDENTIFIERS, r), r));
            case INSERT_NUMBER -> insert(b, r, spaced(pick(NUMBERS, r), r));
            case INSERT_SNIPPET -> insert(b, r, pick(SNIPPETS, r));
            case TRUNCATE -> b.setLength(b.length() == 0 ? 0 : r.nextInt(b.length()));
            case DELETE_CHARS -> {
                int at = position(b, r);
                b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(r.nextBoolean() ? 3 : 40)));
            }
            case INSERT_CHAR -> insert(b, r, String.valueOf((char) (32 + r.nextInt(95))));
            case REPLACE_CHAR -> {
                if (b.length() > 0) {
                    b.setCharAt(r.nextInt(b.length()), (char) (32 + r.nextInt(95)));
                }
            }
            case ODD_CHARACTER -> insert(b, r, r.nextInt(8) == 0 ? String.valueOf((char) r.nextInt(0x10000)) : pick(ODD, r));
            case LINE_EDIT -> lineEdit(b, r);
            case SPLICE -> {
                if (!others.isEmpty()) {
                    String[] lines = others.get(r.nextInt(others.size())).split("\n", -1);
                    insertAtLineStart(b, r, lines[r.nextInt(lines.length)] + "\n");
                }
            }
            case LONG_LINE -> longLine(b, r);
            default -> deepNesting(b, r);
        }
    }

    private static void tokenEdit(Kind kind, StringBuilder b, Random r) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = TOKEN.matcher(b);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return;
        }
        int i = r.nextInt(spans.size());
        int[] t = spans.get(i);
        String token = b.substring(t[0], t[1]);
        switch (kind) {
            case DELETE_TOKEN -> b.delete(t[0], t[1]);
            case DUPLICATE_TOKEN -> b.insert(t[1], (r.nextBoolean() ? " " : "") + token);
            case REPLACE_TOKEN -> {
                int[] other = spans.get(r.nextInt(spans.size()));
                b.replace(t[0], t[1], b.substring(other[0], other[1]));
            }
            default -> {
                if (i + 1 < spans.size()) {
                    int[] u = spans.get(i + 1);
                    String next = b.substring(u[0], u[1]);
                    b.replace(u[0], u[1], token);
                    b.replace(t[0], t[1], next);
                }
            }
        }
    }

    private static void lineEdit(StringBuilder b, Random r) {
        List<String> lines = new ArrayList<>(List.of(b.toString().split("\n", -1)));
        int i = r.nextInt(lines.size());
        switch (r.nextInt(4)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(i, lines.get(i));
            case 2 -> {
                int j = r.nextInt(lines.size());
                String t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
            }
            default -> lines.set(i, (r.nextBoolean() ? "    " : "\t") + lines.get(i));
        }
        b.setLength(0);
        b.append(String.join("\n", lines));
    }

    /** A very long line: a long chain of operators, a long name or number, or a long list. */
    private static void longLine(StringBuilder b, Random r) {
        int n = r.nextInt(10) == 0 ? 10_000 + r.nextInt(40_000) : 100 + r.nextInt(2000);
        String line = switch (r.nextInt(5)) {
            case 0 -> "z = 1" + " + 1".repeat(n) + "\n";
            case 1 -> "z = " + "q".repeat(n * 5) + "\n";
            case 2 -> "z = " + "9".repeat(n) + "\n";
            case 3 -> "z = [" + "1, ".repeat(n) + "]\n";
            default -> "z = x" + " * x".repeat(n / 10) + "\n";
        };
        insertAtLineStart(b, r, line);
    }

    /** Brackets or unary minus nested around the depth limit, balanced or not. */
    private static void deepNesting(StringBuilder b, Random r) {
        int depth = r.nextBoolean() ? ExprParser.MAX_DEPTH - 2 + r.nextInt(5) : 1 + r.nextInt(5000);
        String open = switch (r.nextInt(5)) {
            case 0 -> "(";
            case 1 -> "[";
            case 2 -> "-";
            case 3 -> "tf.tanh(";
            default -> "f(";
        };
        String close = open.equals("(") || open.endsWith("(") ? ")" : open.equals("[") ? "]" : "";
        int closing = r.nextInt(4) == 0 ? r.nextInt(depth + 2) : depth;
        String expr = "z = " + open.repeat(depth) + "x" + close.repeat(close.isEmpty() ? 0 : closing) + "\n";
        if (r.nextBoolean()) {
            insertAtLineStart(b, r, expr);
        } else {
            insert(b, r, expr.substring(4, expr.length() - 1));
        }
    }

    private static void insert(StringBuilder b, Random r, String s) {
        b.insert(position(b, r), s);
    }

    private static void insertAtLineStart(StringBuilder b, Random r, String s) {
        int at = position(b, r);
        while (at > 0 && b.charAt(at - 1) != '\n') {
            at--;
        }
        b.insert(at, s);
    }

    private static int position(StringBuilder b, Random r) {
        return b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
    }

    private static String spaced(String word, Random r) {
        return r.nextBoolean() ? " " + word + " " : word;
    }

    private static String pick(String[] options, Random r) {
        return options[r.nextInt(options.length)];
    }

    /** One of {@code values}, each drawn with a chance proportional to its weight. */
    static <T> T weighted(Random r, T[] values, java.util.function.ToIntFunction<T> weight) {
        int total = 0;
        for (T v : values) {
            total += weight.applyAsInt(v);
        }
        int x = r.nextInt(total);
        for (T v : values) {
            x -= weight.applyAsInt(v);
            if (x < 0) {
                return v;
            }
        }
        throw new AssertionError();
    }
}
