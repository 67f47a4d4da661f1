package dev.kiln.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How to compile a graph: which nodes to fetch and which assignments to perform, the batch size, the
 * seed of the initializers, and the debugging switches. Defaults: fetch {@code loss}, perform every
 * assign, batch bound on first call, seed 0, all passes on, no numerics checks; the system properties
 * {@code kiln.passes.disable=a,b}, {@code kiln.dump=DIR} and {@code kiln.checkNumerics=true} are honoured.
 *
 * <p>A mutable builder, not thread-safe while it is being configured. {@code Kiln.compile} takes what it
 * needs (a copy, where it compiles again later for a new batch size), so an {@code Options} may be changed
 * or reused once {@code compile} has returned, and several threads may compile with one {@code Options}
 * nobody changes any more.
 */
public final class Options {
    Integer batch;
    List<String> fetches = List.of("loss");
    List<String> targets;
    long seed;
    final Set<String> disabledPasses = new LinkedHashSet<>();
    Path dumpDir;
    String backend = System.getProperty("kiln.backend", "auto");
    int threads = Integer.getInteger("kiln.threads", 1);
    boolean checkNumerics = Boolean.getBoolean("kiln.checkNumerics");

    public Options() {
        String disabled = System.getProperty("kiln.passes.disable", "");
        for (String p : disabled.split(",")) {
            if (!p.isBlank()) {
                disabledPasses.add(p.trim());
            }
        }
        String dump = System.getProperty("kiln.dump");
        if (dump != null && !dump.isBlank()) {
            dumpDir = Path.of(dump);
        }
    }

    /** Binds the {@code None} dimension to {@code b} now instead of on first call. */
    public Options batch(int b) {
        this.batch = b;
        return this;
    }

    /** The nodes, by name, a run returns; the first is the entry point's result. */
    public Options fetch(String... names) {
        this.fetches = List.of(names);
        return this;
    }

    /** The nodes, by name, a run performs (assigns); by default every assign in the graph. */
    public Options targets(String... names) {
        this.targets = List.of(names);
        return this;
    }

    /** Perform no assignments: inference only. */
    public Options noTargets() {
        this.targets = List.of();
        return this;
    }

    /** Seed for the variables' initializers and for any {@code random_normal} a run reads. */
    public Options seed(long s) {
        this.seed = s;
        return this;
    }

    /** Switches optimizer passes off by name, to bisect a miscompile. */
    public Options disablePasses(String... names) {
        disabledPasses.addAll(Arrays.asList(names));
        return this;
    }

    /**
     * Which code the matrix products get: {@code scalar}, {@code vector} (the Vector API; needs
     * {@code --add-modules jdk.incubator.vector}) or {@code auto} (vector where it is available and the
     * JDK compiles it well, else scalar). Default: the system property {@code kiln.backend}, else auto.
     */
    public Options backend(String name) {
        dev.kiln.codegen.Backend.choose(name); // reject a bad name here, where the caller is
        this.backend = name;
        return this;
    }

    /**
     * Threads a run may use: with more than one, large matrix products share their rows between the
     * calling thread and {@code n - 1} persistent worker threads (the results do not change). Default:
     * the system property {@code kiln.threads}, else 1. Each compiled instance that shares rows has workers
     * of its own, used only inside its runs and stopped when the instance is collected; this does not make
     * the instance usable from several threads.
     */
    public Options threads(int n) {
        if (n < 1) {
            throw new dev.kiln.ir.KilnException("threads must be at least 1, got " + n);
        }
        this.threads = n;
        return this;
    }

    /**
     * With {@code on}, every run checks each value it reads (feeds, variables, constants) and each value
     * an op computes, and throws {@link dev.kiln.ir.NumericsException} at the first NaN or infinity, naming
     * the node and the line that built it; such a run changes no variable. The compiled engine then runs
     * every op as a kernel of its own (no fusion), so the exact op is named; results do not change. Off,
     * the generated code holds no check at all. Default: the system property {@code kiln.checkNumerics},
     * else off.
     */
    public Options checkNumerics(boolean on) {
        this.checkNumerics = on;
        return this;
    }

    /** Writes the IR after every pass, the class file, its listing and a DOT graph into {@code dir}. */
    public Options dumpTo(Path dir) {
        this.dumpDir = dir;
        return this;
    }

    /** A copy, for a compilation that continues after {@code Kiln.compile} returns. */
    Options copy() {
        Options o = new Options();
        o.batch = batch;
        o.fetches = fetches;
        o.targets = targets;
        o.seed = seed;
        o.disabledPasses.clear();
        o.disabledPasses.addAll(disabledPasses);
        o.dumpDir = dumpDir;
        o.backend = backend;
        o.threads = threads;
        o.checkNumerics = checkNumerics;
        return o;
    }

    List<String> fetchNames() {
        return new ArrayList<>(fetches);
    }
}
