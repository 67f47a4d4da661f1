package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the example scripts and of the error corpus ({@link ScriptMutator}): parsing one
 * either succeeds or throws a {@link ScriptException} whose one-line message starts with
 * {@code fuzz.kiln:LINE:COL: }, the line and column inside the text; never anything else, never an
 * "internal error", and never slowly.
 *
 * <p>Deterministic: mutation {@code i} is drawn from a {@link Random} seeded with {@code seed} and
 * {@code i}, and a failure names both. System properties:
 * <ul>
 *   <li>{@code kiln.fuzz}: how many mutations (default {@value #DEFAULT_MUTATIONS});
 *   <li>{@code kiln.fuzz.seed}: the seed (default {@value #DEFAULT_SEED});
 *   <li>{@code kiln.fuzz.seconds}: the time allowed for all of them (default {@value #DEFAULT_SECONDS}
 *       for the default count, 0 (no limit) for a larger one); running out of time fails the test, as
 *       does one parse taking more than {@value #PARSE_SECONDS} seconds.
 * </ul>
 * For example {@code mvn -q -B test -Dtest=ScriptFuzzTest -Dkiln.fuzz=1000000}.
 */
class ScriptFuzzTest {
    static final int DEFAULT_MUTATIONS = 10_000;
    static final long DEFAULT_SEED = 20240611L;
    static final long DEFAULT_SECONDS = 120;
    static final long PARSE_SECONDS = 5;
    /** A failing run goes on after a failure, to show several at once, but not after this many. */
    private static final int MAX_FAILURES = 10;
    private static final String FILE = "fuzz.kiln";
    private static final Pattern PREFIX = Pattern.compile("^" + Pattern.quote(FILE) + ":(\\d+):(\\d+): \\S.*", Pattern.DOTALL);
    /** Everything that some program or other takes for the end of a line. */
    private static final Pattern LINE_BREAK = Pattern.compile("[\\n\\r\\u000b\\u000c\\u001c-\\u001e\\u0085\\u2028\\u2029]");

    @Test
    void mutationsOnlyEverThrowScriptExceptionsPointingIntoTheText() throws Exception {
        List<String> examples = scripts("examples");
        List<String> seeds = new ArrayList<>(examples);
        seeds.addAll(scripts("src/test/resources/dsl/errors"));
        assertTrue(examples.size() >= 4 && seeds.size() >= 60, "only " + seeds.size() + " seed scripts");
        int mutations = Integer.getInteger("kiln.fuzz", DEFAULT_MUTATIONS);
        long seed = Long.getLong("kiln.fuzz.seed", DEFAULT_SEED);
        long seconds = Long.getLong("kiln.fuzz.seconds", mutations <= DEFAULT_MUTATIONS ? DEFAULT_SECONDS : 0);
        Run run = new Run(seeds, examples.size(), mutations, seed);
        long start = System.nanoTime();
        watch(run, seconds);
        if (!run.failures.isEmpty()) {
            throw new AssertionError(run.failures.size() + " failures:\n" + String.join("\n", run.failures));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("ScriptFuzzTest: %d mutations of %d scripts (seed %d) in %.1f s, %.0f per second: "
                + "%d rejected with a ScriptException, %d parsed; slowest parse %.0f ms%n", run.done, seeds.size(), seed,
                elapsed, run.done / elapsed, run.rejected, run.done - run.rejected, run.slowest / 1e6);
        assertTrue(run.done == mutations, run.done + " of " + mutations);
        assertTrue(run.rejected > mutations / 4 && run.rejected < mutations, "rejected " + run.rejected
                + ": the mutations should break most scripts but not all");
    }

    /**
     * Runs {@code run} on a thread of its own and waits for it, failing if one parse takes more than
     * {@link #PARSE_SECONDS} or all of them more than {@code seconds} (0: no limit).
     */
    private static void watch(Run run, long seconds) throws InterruptedException {
        Thread worker = new Thread(run, "fuzz");
        worker.setDaemon(true);
        long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
        worker.start();
        while (worker.isAlive()) {
            worker.join(100);
            long now = System.nanoTime();
            long started = run.parseStarted;
            if (worker.isAlive() && started != 0 && now - started > PARSE_SECONDS * 1_000_000_000L) {
                throw new AssertionError("mutation " + run.current + " (seed " + run.seed + ") has been parsing for more than "
                        + PARSE_SECONDS + " s; input saved as " + save(run.currentText, run.current));
            }
            if (worker.isAlive() && now > deadline) {
                run.stop = true;
                worker.join();
                throw new AssertionError("only " + run.done + " of " + run.mutations + " mutations ran in " + seconds + " s");
            }
        }
    }

    /** The text of every {@code .kiln} file in {@code dir}, in name order. */
    static List<String> scripts(String dir) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".kiln")).sorted().toList()) {
                texts.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }

    /** The fuzzing loop, on its own thread so that a parse that never ends can be caught. */
    private static final class Run implements Runnable {
        /** The starting points: the examples first, then the malformed scripts of the corpus. */
        final List<String> seeds;
        final int examples;
        final int mutations;
        final long seed;
        volatile boolean stop;
        volatile long parseStarted;
        volatile int current;
        volatile String currentText;
        volatile int done;
        volatile int rejected;
        volatile long slowest;
        final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        Run(List<String> seeds, int examples, int mutations, long seed) {
            this.seeds = seeds;
            this.examples = examples;
            this.mutations = mutations;
            this.seed = seed;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < mutations && !stop; i++) {
                    Random r = new Random(seed * 0x9E3779B97F4A7C15L + i);
                    // half the time an example, so that many mutations still parse
                    String start = r.nextBoolean() ? seeds.get(r.nextInt(examples)) : seeds.get(r.nextInt(seeds.size()));
                    String text = ScriptMutator.mutate(start, seeds, r);
                    current = i;
                    currentText = text;
                    long t0 = System.nanoTime();
                    parseStarted = t0;
                    String problem = check(text);
                    parseStarted = 0;
                    slowest = Math.max(slowest, System.nanoTime() - t0);
                    if (problem != null) {
                        failures.add("mutation " + i + " (seed " + seed + "), saved as " + save(text, i) + ": " + problem);
                        if (failures.size() >= MAX_FAILURES) {
                            return;
                        }
                    }
                    done = i + 1;
                }
            } catch (Throwable t) {
                failures.add("the fuzzer itself failed at mutation " + current + ": " + t);
            }
        }

        /** Null when {@code text} parses or is rejected properly, else what is wrong. */
        private String check(String text) {
            try {
                Script.parse(text, FILE);
                return null;
            } catch (ScriptException e) {
                rejected++;
                return checkMessage(text, e);
            } catch (Throwable t) {
                java.io.StringWriter w = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(w));
                return "threw " + w;
            }
        }
    }

    /** Null when the exception's message and position are well formed for {@code text}, else what is wrong. */
    static String checkMessage(String text, ScriptException e) {
        String m = e.getMessage();
        Matcher pm = PREFIX.matcher(m);
        if (LINE_BREAK.matcher(m).find() || !pm.matches()) {
            return "malformed message: " + m;
        }
        if (m.contains("internal error") || m.contains("nested too deeply") && !m.contains("(more than")) {
            return "a bug reported as a user error: " + m;
        }
        int line = Integer.parseInt(pm.group(1));
        int col = Integer.parseInt(pm.group(2));
        if (line != e.pos().line() || col != e.pos().column()) {
            return "message position " + line + ":" + col + " differs from pos() " + e.pos();
        }
        List<String> lines = lines(text);
        if (line < 1 || line > lines.size()) {
            return "line " + line + " is outside the text's " + lines.size() + " lines: " + m;
        }
        String source = lines.get(line - 1);
        if (col < 1 || col > source.length() + 1) {
            return "column " + col + " is outside line " + line + " (" + source.length() + " characters): " + m;
        }
        if (!e.sourceLine().equals(source)) {
            return "sourceLine() is not line " + line + " of the text: " + m;
        }
        String[] full = e.fullMessage().split("\n", -1);
        if (full.length != 3 || !full[0].equals(m) || full[2].length() != col || !full[2].endsWith("^")) {
            return "malformed fullMessage(): " + e.fullMessage();
        }
        return null;
    }

    /** The lines of {@code text} as the script's positions count them ({@code \n}, {@code \r\n} or {@code \r}; a leading BOM dropped). */
    static List<String> lines(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return List.of(t.split("\r\n|\r|\n", -1));
    }

    private static Path save(String text, int i) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            return Files.write(dir.resolve("mutation-" + i + ".kiln"), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Path.of("(could not save: " + e.getMessage() + ")");
        }
    }
}
