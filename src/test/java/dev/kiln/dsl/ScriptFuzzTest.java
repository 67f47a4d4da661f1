package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the example scripts (characters deleted, inserted, replaced, lines duplicated or
 * swapped): parsing one either succeeds or throws a {@link ScriptException}, never anything else.
 */
class ScriptFuzzTest {
    private static final String ALPHABET = "()[],.=+-*/@#:;'\"\\\n\t 0123456789eE_xyzwhN$%{}<>!?abtf";
    private static final String[] SNIPPETS = {"tf.", "(", ")", "[", "]", ",", " ** ", "-", "None", "1e999",
        "99999999999999999999", "tf.gradients(", ".assign(", "import os\n", "=", "\n", "x", "w1", "(((((", "'",
        "tf.reshape(x, (-1, 0))", "tf.constant([[1], [2, 3]])", "tf.transpose(w1, perm=[1, 1])", "h.assign(",
        "tf.reduce_sum(x, axis=5)", "tf.zeros((None, 3))", "tf.int32", "keepdims=", "name=", "1 / 0"};

    @Test
    void mutationsOfTheExamplesOnlyEverThrowScriptException() throws IOException {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".kiln")).sorted().toList()) {
                seeds.add(Files.readString(p));
            }
        }
        assertTrue(seeds.size() >= 4);
        Random random = new Random(20240611L);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int runs = 0;
        int failures = 0;
        for (; runs < 2000 && System.nanoTime() < deadline; runs++) {
            String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                Script.parse(text, "fuzz.kiln");
            } catch (ScriptException e) {
                failures++;
                if (e.getMessage().contains("\n") || e.pos() == null || e.pos().line() < 1 || e.pos().column() < 1) {
                    fail("malformed error for input:\n" + text + "\n" + e.getMessage());
                }
                e.fullMessage();
            } catch (Throwable t) {
                throw new AssertionError("threw " + t + " for input:\n" + text, t);
            }
        }
        assertTrue(runs >= 200, "only " + runs + " runs in the time allowed");
        assertTrue(failures > 0);
    }

    static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(6);
        for (int k = 0; k < edits; k++) {
            int at = b.length() == 0 ? 0 : r.nextInt(b.length());
            switch (r.nextInt(6)) {
                case 0 -> {
                    if (b.length() > 0) {
                        b.deleteCharAt(at);
                    }
                }
                case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> {
                    if (b.length() > 0) {
                        b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    }
                }
                case 3 -> b.insert(at, SNIPPETS[r.nextInt(SNIPPETS.length)]);
                case 4 -> b.delete(at, Math.min(b.length(), at + r.nextInt(20)));
                default -> {
                    int from = r.nextInt(Math.max(1, b.length()));
                    int len = Math.min(b.length() - from, r.nextInt(60));
                    b.insert(at, b.substring(from, from + len));
                }
            }
        }
        return b.toString();
    }
}
