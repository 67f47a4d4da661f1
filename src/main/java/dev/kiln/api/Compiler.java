package dev.kiln.api;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.ClassGenerator;
import dev.kiln.codegen.EntryPoint;
import dev.kiln.codegen.Listing;
import dev.kiln.codegen.Loader;
import dev.kiln.ir.DotPrinter;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.kernels.Warmup;
import dev.kiln.opt.Pipeline;
import dev.kiln.opt.Program;
import dev.kiln.plan.Plan;
import dev.kiln.plan.PlanConflict;
import dev.kiln.plan.Planner;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The compiler's steps from a bound program to a loaded class: optimize (verifying after each pass),
 * plan buffers and order, generate the class, define it. Dumps every stage when asked.
 */
public final class Compiler {
    private static final AtomicInteger DUMPS = new AtomicInteger();

    /** The result: every stage, for inspection, and the class ready to instantiate. */
    public record Compiled(Program optimized, Plan plan, byte[] bytes, String className, MethodHandles.Lookup lookup,
            Backend backend, int threads) {
        /** True when the class shares rows between threads: its constructor then takes a pool of {@link #threads}. */
        public boolean usesPool() {
            return ClassGenerator.usesPool(plan, backend, threads);
        }
    }

    private Compiler() {}

    /**
     * Compiles {@code p}. {@code entry} maps the plan's feeds to the user's method (null: none), given the
     * placeholders in the order the plan takes them.
     */
    public static Compiled compile(Program p, long seed, Class<?> iface, Function<List<Node>, EntryPoint> entry,
            Set<String> disabled, Path dumpDir) {
        return compile(p, seed, iface, entry, disabled, dumpDir, Backend.choose("auto"), 1);
    }

    /**
     * Compiles {@code p}, with no interface, as {@code o} says: its seed, passes, dump directory, backend,
     * threads and numerics checks (each defaulting to its system property, as everywhere).
     */
    public static Compiled compile(Program p, Options o) {
        return compile(p, o.seed, null, null, o.disabledPasses, o.dumpDir, Backend.choose(o.backend), o.threads,
                o.checkNumerics);
    }

    /** {@link #compile(Program, long, Class, Function, Set, Path)} with the given backend and threads. */
    public static Compiled compile(Program p, long seed, Class<?> iface, Function<List<Node>, EntryPoint> entry,
            Set<String> disabled, Path dumpDir, Backend backend, int threads) {
        return compile(p, seed, iface, entry, disabled, dumpDir, backend, threads, false);
    }

    /**
     * The passes check-numerics switches off. Each fuses several ops into one kernel, so a NaN made inside
     * would be blamed on the fused node; and {@code fold-sgd-updates} writes variables in place before the
     * run ends. Without them every kernel is one op, the error names that op, and a run that fails the
     * check has changed no variable. Fused and unfused kernels compute the same values, bit for bit.
     */
    public static final List<String> FUSING_PASSES = List.of("fold-sgd-updates", "fuse-elementwise", "fuse-matmul");

    /**
     * {@link #compile(Program, long, Class, Function, Set, Path, Backend, int)}; with {@code checkNumerics}, the
     * class checks every value a run reads or computes and throws {@link dev.kiln.ir.NumericsException} at the
     * first NaN or infinity, and the {@link #FUSING_PASSES} are off.
     */
    public static Compiled compile(Program p, long seed, Class<?> iface, Function<List<Node>, EntryPoint> entry,
            Set<String> disabled, Path dumpDir, Backend backend, int threads, boolean checkNumerics) {
        dev.kiln.opt.Verifier.checkAssignments(p);
        Dump dump = dumpDir == null ? null : new Dump(dumpDir);
        Set<String> off = new HashSet<>(disabled);
        if (checkNumerics) {
            off.addAll(FUSING_PASSES);
        }
        Program optimized = Pipeline.optimize(p, off, dump == null ? (n, q) -> { } : dump::program);
        Plan plan;
        try {
            plan = Planner.plan(optimized, optimized.graph().placeholders(), seed);
        } catch (PlanConflict conflict) {
            off.add("fold-sgd-updates");
            optimized = Pipeline.optimize(p, off, (n, q) -> { });
            try {
                plan = Planner.plan(optimized, optimized.graph().placeholders(), seed);
            } catch (PlanConflict again) {
                throw new IllegalStateException("cannot order the updates even without folding", again);
            }
        }
        MethodHandles.Lookup lookup = Loader.lookupFor(iface);
        String simple = "Kiln_" + className(p.graph().sourceFile());
        String internal = Loader.internalName(lookup, simple);
        EntryPoint ep = entry == null ? null : entry.apply(plan.feeds());
        byte[] bytes = ClassGenerator.generate(plan, internal, ep, backend, threads, checkNumerics);
        if (dump != null) {
            dump.write(simple + ".class", bytes);
            dump.write(simple + ".txt", Listing.of(bytes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            dump.write("optimized.dot", DotPrinter.print(optimized.graph()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Compiled(optimized, plan, bytes, internal, lookup, backend, threads);
    }

    /**
     * Starts the warm-up of the shared vector kernels now if the backend named will be the vector one, so
     * that it runs while the caller reads its data and builds its graph (a session for the compiled engine
     * starts it anyway, and waits for it before its first run). Does nothing otherwise, or for a name that
     * {@link Backend#choose} rejects (the compile reports it).
     */
    public static void prepare(String backend) {
        try {
            if (Backend.choose(backend) == Backend.VECTOR) {
                Warmup.start();
            }
        } catch (KilnException e) {
            // reported by the compile
        }
    }

    /** A class-name-safe stem of the model file's name: {@code two_layer.kiln} gives {@code two_layer}. */
    static String className(String sourceFile) {
        String base = Path.of(sourceFile).getFileName().toString();
        int dot = base.indexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        return base.isEmpty() ? "model" : Planner.safe(base);
    }

    /** Writes the stages of one compilation into a directory. */
    private static final class Dump {
        private final Path dir;
        private int pass;

        Dump(Path dir) {
            this.dir = dir;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new KilnException("dump directory " + dir + ": cannot create it (" + e.getMessage() + ")");
            }
            DUMPS.incrementAndGet();
        }

        void program(String passName, Program p) {
            write(String.format("%02d-%s.ir", pass++, passName), p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void write(String name, byte[] data) {
            try {
                Files.write(dir.resolve(name), data);
            } catch (IOException e) {
                throw new KilnException(dir.resolve(name) + ": cannot write the dump (" + e.getMessage() + ")");
            }
        }
    }
}
