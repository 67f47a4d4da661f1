package dev.kiln.api;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.ClassGenerator;
import dev.kiln.codegen.EntryPoint;
import dev.kiln.codegen.Listing;
import dev.kiln.codegen.Loader;
import dev.kiln.ir.DotPrinter;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.runtime.Warmup;
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
import java.util.function.Function;

/**
 * The compiler's steps from a bound program to a loaded class: optimize (verifying after each pass),
 * plan buffers and order, generate the class, define it. Dumps every stage when asked.
 */
public final class Compiler {
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
     * Compiles {@code p} as {@code o} says: its seed, the passes switched off, the dump directory, the
     * backend, the threads and the numerics checks (each defaulting to its system property, as everywhere).
     * With numerics checks, the class checks every value a run reads or computes and throws
     * {@link dev.kiln.ir.NumericsException} at the first NaN or infinity, and the passes that fuse
     * ({@link dev.kiln.opt.Pass#fuses}) are off.
     */
    public static Compiled compile(Program p, Options o) {
        return compile(p, o, null, null);
    }

    /**
     * {@link #compile(Program, Options)} into a class implementing {@code iface} (null: none), whose entry
     * point {@code entry} makes from the placeholders in the order the plan takes them (null: none).
     */
    static Compiled compile(Program p, Options o, Class<?> iface, Function<List<Node>, EntryPoint> entry) {
        Backend backend = Backend.choose(o.backend);
        dev.kiln.opt.Verifier.checkAssignments(p);
        Dump dump = o.dumpDir == null ? null : new Dump(o.dumpDir);
        Set<String> off = new HashSet<>(o.disabledPasses);
        if (o.checkNumerics) {
            off.addAll(Pipeline.fusingPasses());
        }
        Program optimized = Pipeline.optimize(p, off, dump == null ? (n, q) -> { } : dump::program);
        Plan plan;
        try {
            plan = Planner.plan(optimized, optimized.graph().placeholders(), o.seed);
        } catch (PlanConflict conflict) { // fold-sgd-updates leaves out updates it cannot order
            throw new IllegalStateException("cannot order the in-place updates", conflict);
        }
        MethodHandles.Lookup lookup = Loader.lookupFor(iface);
        String simple = "Kiln_" + className(p.graph().sourceFile());
        String internal = Loader.internalName(lookup, simple);
        EntryPoint ep = entry == null ? null : entry.apply(plan.feeds());
        byte[] bytes = ClassGenerator.generate(plan, internal, ep, backend, o.threads, o.checkNumerics);
        if (dump != null) {
            dump.write(simple + ".class", bytes);
            dump.write(simple + ".txt", Listing.of(bytes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            dump.write("optimized.dot", DotPrinter.print(optimized.graph()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Compiled(optimized, plan, bytes, internal, lookup, backend, o.threads);
    }

    /**
     * Starts the warm-up of the shared vector kernels now if {@code o}'s backend will be the vector one, so
     * that it runs while the caller reads its data and builds its graph (a session for the compiled engine
     * starts it anyway, and waits for it before its first run). Does nothing otherwise, or for a name that
     * {@link Backend#choose} rejects (the compile reports it).
     */
    public static void prepare(Options o) {
        try {
            if (Backend.choose(o.backend) == Backend.VECTOR) {
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
