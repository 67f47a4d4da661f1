package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The parser fuzz loop that {@link ScriptFuzzTest} and {@link ProgramFuzzTest} share: random mutations of
 * seed texts, each parsed as a file called {@code fuzz.EXT}, must parse or throw a {@link ScriptException}
 * whose one-line message starts with {@code fuzz.EXT:LINE:COL: }, the line and column inside the text;
 * never anything else, never an "internal error", and never slowly.
 *
 * <p>Deterministic: mutation {@code i} is drawn from a {@link Random} seeded with the seed and {@code i},
 * and a failure names both and saves the input under {@code target/fuzz-failures/}. System properties
 * (shared by both tests):
 * <ul>
 *   <li>{@code kiln.fuzz}: how many mutations (default {@value #DEFAULT_MUTATIONS});
 *   <li>{@code kiln.fuzz.seed}: the seed (default {@value #DEFAULT_SEED});
 *   <li>{@code kiln.fuzz.seconds}: the time allowed for all of them (default {@value #DEFAULT_SECONDS}
 *       for the default count, 0 (no limit) for a larger one); running out of time fails the test, as
 *       does one parse taking more than {@value #PARSE_SECONDS} seconds.
 * </ul>
 */
final class FuzzLoop {
    static final int DEFAULT_MUTATIONS = 10_000;
    static final long DEFAULT_SEED = 20240611L;
    static final long DEFAULT_SECONDS = 120;
    static final long PARSE_SECONDS = 5;
    /** A failing run goes on after a failure, to show several at once, but not after this many. */
    private static final int MAX_FAILURES = 10;
    /** Everything that some program or other takes for the end of a line. */
    private static final Pattern LINE_BREAK = Pattern.compile("[\\n\\r\\u000b\\u000c\\u001c-\\u001e\\u0085\\u2028\\u2029]");

    /** Parses {@code text} as the file {@code file}; a rejection is a {@link ScriptException}. */
    interface Parse {
        void parse(String text, String file);
    }

    /** Mutates {@code text}; {@code others} are texts to splice lines from. */
    interface Mutate {
        String mutate(String text, List<String> others, Random r);
    }

    private final String test;
    private final String file;
    private final Parse parse;
    private final Mutate mutate;

    /**
     * @param test   the test's name, for its report
     * @param file   the name the texts are parsed under ({@code fuzz.kiln}, {@code fuzz.py})
     */
    FuzzLoop(String test, String file, Parse parse, Mutate mutate) {
        this.test = test;
        this.file = file;
        this.parse = parse;
        this.mutate = mutate;
    }

    /**
     * Runs the mutations of {@code examples} (which should parse) and {@code malformed} (which should not),
     * and fails on any wrong rejection, on running out of time, and when the mutations break too few or
     * all of the texts.
     */
    void check(List<String> examples, List<String> malformed) throws InterruptedException {
        List<String> seeds = new ArrayList<>(examples);
        seeds.addAll(malformed);
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
        System.out.printf("%s: %d mutations of %d texts (seed %d) in %.1f s, %.0f per second: "
                + "%d rejected with a ScriptException, %d parsed; slowest parse %.0f ms%n", test, run.done, seeds.size(),
                seed, elapsed, run.done / elapsed, run.rejected, run.done - run.rejected, run.slowest / 1e6);
        assertTrue(run.done == mutations, run.done + " of " + mutations);
        assertTrue(run.rejected > mutations / 4 && run.rejected < mutations, "rejected " + run.rejected
                + ": the mutations should break most texts but not all");
    }

    /**
     * Runs {@code run} on a thread of its own and waits for it, failing if one parse takes more than
     * {@link #PARSE_SECONDS} or all of them more than {@code seconds} (0: no limit).
     */
    private void watch(Run run, long seconds) throws InterruptedException {
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

    /** The text of every file in {@code dir} whose name ends with {@code suffix}, in name order. */
    static List<String> texts(String dir, String suffix) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path p : files.filter(f -> f.toString().endsWith(suffix)).sorted().toList()) {
                texts.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }

    /** The fuzzing loop, on its own thread so that a parse that never ends can be caught. */
    private final class Run implements Runnable {
        /** The starting points: the examples first, then the malformed texts of the corpus. */
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
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());

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
                    String text = mutate.mutate(start, seeds, r);
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
                parse.parse(text, file);
                return null;
            } catch (ScriptException e) {
                rejected++;
                return checkMessage(file, text, e);
            } catch (Throwable t) {
                java.io.StringWriter w = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(w));
                return "threw " + w;
            }
        }
    }

    /** Null when the exception's message and position are well formed for {@code text} parsed as {@code file}, else what is wrong. */
    static String checkMessage(String file, String text, ScriptException e) {
        String m = e.getMessage();
        Matcher pm = Pattern.compile("^" + Pattern.quote(file) + ":(\\d+):(\\d+): \\S.*", Pattern.DOTALL).matcher(m);
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

    /** The lines of {@code text} as the positions count them ({@code \n}, {@code \r\n} or {@code \r}; a leading BOM dropped). */
    static List<String> lines(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return List.of(t.split("\r\n|\r|\n", -1));
    }

    private Path save(String text, int i) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            String ext = file.substring(file.lastIndexOf('.'));
            return Files.write(dir.resolve("mutation-" + i + ext), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Path.of("(could not save: " + e.getMessage() + ")");
        }
    }
}
