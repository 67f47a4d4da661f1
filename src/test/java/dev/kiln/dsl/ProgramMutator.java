package dev.kiln.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random mutations of a whole program, for {@link ProgramFuzzTest}: {@link ScriptMutator}'s edits, mixed
 * with edits of what only programs have: indentation (a line indented or dedented, by spaces or a tab),
 * block structure (a ':' inserted or deleted, a block keyword put at the start of a line, two lines
 * joined or one split), and snippets of the program syntax (f-strings, dicts, slices, comprehensions,
 * conditionals) and of the constructs the subset refuses.
 */
final class ProgramMutator {
    private enum Kind {
        SCRIPT_EDIT(10), INDENT(3), DEDENT(3), INSERT_COLON(2), DELETE_COLON(2), BLOCK_KEYWORD(3), JOIN_LINES(2),
        SPLIT_LINE(2), SNIPPET(3);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        static Kind draw(Random r) {
            return ScriptMutator.weighted(r, values(), k -> k.weight);
        }
    }

    private static final String[] INDENTS = {"    ", "  ", " ", "\t", "\t    ", "        ", "\f", "    \t"};
    private static final String[] LINE_STARTS = {"for i in range(3):", "for i in range(3): ", "for i, v in x:",
        "for in x:", "if x:", "if x: ", "if ", "elif x:", "else:", "else: ", "while True:", "while i < 3: i += 1",
        "with tf.Session() as sess:", "with tf.Session() as sess, x:", "with x as 1:", "def f(a, b=1):",
        "def f(a=1, b):", "def f(a, a):", "def f(*a):", "def (x):", "try:", "except:", "finally:", "class C:",
        "@tf.function\n", "@", "return ", "return", "break", "continue", "pass", "async ", "await ", "global x",
        "nonlocal x", "del x", "assert x", "yield x", "raise ", "lambda: 0", "import os", "from x import y",
        "print(", "else", "elif", ":", "\\\n"};
    private static final String[] SNIPPETS = {"f'{x}'", "f\"{x!r:>10}\"", "f'{x!z}'", "f'{}'", "f'{x'", "f'}'",
        "f'{{}}'", "f'{x:{y}}'", "f'{\"a\"}'", "f'''{x}\n'''", "rf'\\{x}'", "b'x'", "u'x'", "rb'x'", "'''",
        "{1: 2}", "{1, 2}", "{**d}", "{}", "{1: 2 for k in x}", "x[1:2:0]", "x[::]", "x[:, 0]", "x[...]",
        "a, *b = c", "*a", "(n := 3)", ":=", "x if y else z", "x if y", "not in", "is not", "not", "and", "or",
        "[i for i in range(3) if i]", "[i for i in]", "(i for i in x)", "1 < 2 < 3", "==", "!=", "x[0] = 1",
        "x[0] += 1", "a.b += 1", "f(x)(y)", "f(x=1, x=2)", "f(x=1, 2)", "print(*a)", "sess.run(", "np.zeros(",
        "with ", "-> int", "x: int = 3", "&", "|", "^", "~", "&=", "<<", ">>", "0b101", "1j", "None", "..."};

    private ProgramMutator() {}

    /** Applies one to four random edits to {@code text} (mostly one); {@code others} are texts to splice lines from. */
    static String mutate(String text, List<String> others, Random r) {
        StringBuilder b = new StringBuilder(text);
        int edits = r.nextInt(3) == 0 ? 2 + r.nextInt(3) : 1;
        for (int k = 0; k < edits; k++) {
            apply(Kind.draw(r), b, others, r);
        }
        return b.toString();
    }

    private static void apply(Kind kind, StringBuilder b, List<String> others, Random r) {
        if (kind == Kind.SCRIPT_EDIT) {
            ScriptMutator.apply(ScriptMutator.Kind.draw(r), b, others, r);
            return;
        }
        List<String> lines = new ArrayList<>(List.of(b.toString().split("\n", -1)));
        int i = r.nextInt(lines.size());
        String line = lines.get(i);
        switch (kind) {
            case INDENT -> lines.set(i, pick(INDENTS, r) + line);
            case DEDENT -> lines.set(i, line.substring(Math.min(indentation(line), 1 + r.nextInt(8))));
            case INSERT_COLON -> lines.set(i, r.nextBoolean() ? line + ":" : insertAt(line, ":", r));
            case DELETE_COLON -> {
                int at = line.lastIndexOf(':');
                if (at >= 0) {
                    lines.set(i, line.substring(0, at) + line.substring(at + 1));
                }
            }
            case BLOCK_KEYWORD -> lines.set(i, line.substring(0, indentation(line)) + pick(LINE_STARTS, r)
                    + (r.nextBoolean() ? "" : line.substring(indentation(line))));
            case JOIN_LINES -> {
                if (i + 1 < lines.size()) {
                    lines.set(i, line + (r.nextBoolean() ? " " : "") + lines.remove(i + 1));
                }
            }
            case SPLIT_LINE -> {
                int at = r.nextInt(line.length() + 1);
                lines.set(i, line.substring(0, at));
                lines.add(i + 1, (r.nextBoolean() ? pick(INDENTS, r) : "") + line.substring(at));
            }
            default -> lines.set(i, insertAt(line, pick(SNIPPETS, r), r));
        }
        b.setLength(0);
        b.append(String.join("\n", lines));
    }

    private static int indentation(String line) {
        int n = 0;
        while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t' || line.charAt(n) == '\f')) {
            n++;
        }
        return n;
    }

    private static String insertAt(String line, String s, Random r) {
        int at = r.nextInt(line.length() + 1);
        return line.substring(0, at) + s + line.substring(at);
    }

    private static String pick(String[] options, Random r) {
        return options[r.nextInt(options.length)];
    }
}
