package dev.kiln.codegen;

import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * The drivers: the methods that run the steps of a plan in order, calling each kernel with its arrays.
 * However large the graph, every driver stays far below HotSpot's 8,000-byte JIT limit: the steps are
 * cut into slices of about {@value #DRIVER_BYTES} bytes of calls, one driver each ({@code step}, or
 * {@code step_0}, {@code step_1}, ...), which the entry points call in turn.
 *
 * <p>Feeds reach the drivers one of two ways. Normally each feed is a parameter of every driver, passed
 * straight through by {@code run}. When that cannot be, because the plan has more feeds than a method
 * has parameter slots (255), or would make the entry points long, because passing every feed to every
 * driver would cost more than {@value #DRIVER_BYTES} bytes, the drivers take one {@code float[][]}
 * instead: the one {@code execute} received.
 */
final class Drivers {
    /** Bytecode per driver method, estimated: keeps each driver well under HotSpot's 8,000-byte JIT limit. */
    static final int DRIVER_BYTES = 4000;
    /** Parameter slots a JVM method may take, {@code this} included (JVMS 4.3.3). */
    static final int MAX_SLOTS = 255;
    private static final Type FLOATS = Type.getType(float[].class);

    private final Plan plan;
    private final Type owner;
    private final Map<Step.Kernel, Lowering.Code> codes;
    private final Map<Step.Kernel, Integer> parallel = new HashMap<>();
    /** The feeds the drivers leave in fields for other threads (none without shared kernels). */
    private final List<Buffer> savedFeeds;
    private final boolean feedArray;
    private final List<List<Step>> slices;
    private final boolean checkNumerics;

    /**
     * The drivers of {@code plan}; {@code parallel} lists the kernels whose rows are shared between threads;
     * with {@code checkNumerics} they check the run's sources first and each kernel's output after it.
     */
    Drivers(Plan plan, Type owner, Map<Step.Kernel, Lowering.Code> codes, List<Step.Kernel> parallel,
            boolean checkNumerics) {
        this.plan = plan;
        this.checkNumerics = checkNumerics;
        this.owner = owner;
        this.codes = codes;
        for (int i = 0; i < parallel.size(); i++) {
            this.parallel.put(parallel.get(i), i);
        }
        this.savedFeeds = parallel.isEmpty() ? List.of() : ParallelCalls.feeds(plan);
        int feeds = plan.feeds().size();
        List<List<Step>> byParameters = slices(false);
        // calling one driver from execute takes 4 bytes and 4 more per feed
        this.feedArray = feeds >= MAX_SLOTS || byParameters.size() * (4 + 4 * feeds) > DRIVER_BYTES;
        this.slices = feedArray ? slices(true) : byParameters;
    }

    /** True when the drivers take the feeds as one {@code float[][]}, false when one parameter each. */
    boolean feedArray() {
        return feedArray;
    }

    /** Declares the fields the drivers need besides the buffers'. */
    void declareFields(ClassWriter cw) {
        if (!parallel.isEmpty()) {
            ParallelCalls.declare(cw, savedFeeds, feedArray);
        }
    }

    /** The driver methods, in the order they run. */
    List<Method> methods() {
        String desc = feedArray ? "([[F)V" : "(" + FLOATS.getDescriptor().repeat(plan.feeds().size()) + ")V";
        List<Method> out = new ArrayList<>();
        for (int p = 0; p < slices.size(); p++) {
            out.add(new Method(slices.size() == 1 ? "step" : "step_" + p, desc));
        }
        return out;
    }

    /** Writes the driver methods. */
    void write(ClassWriter cw) {
        List<Method> methods = methods();
        for (int p = 0; p < slices.size(); p++) {
            GeneratorAdapter g = new GeneratorAdapter(Opcodes.ACC_PRIVATE, methods.get(p), null, null, cw);
            if (!parallel.isEmpty()) {
                ParallelCalls.saveFeeds(g, owner, savedFeeds, feedArray); // parts running on other threads read them from fields
            }
            if (checkNumerics && p == 0) {
                for (NumericsCalls.Source source : NumericsCalls.sources(plan)) {
                    ClassGenerator.line(g, source.node().pos());
                    NumericsCalls.source(g, plan.program().graph(), source, b -> load(g, b));
                }
            }
            List<Step> slice = slices.get(p);
            for (int i = 0; i < slice.size(); i++) {
                if (slice.get(i) instanceof Step.Kernel k) {
                    int alongside = Overlap.alongside(slice, i, codes, checkNumerics);
                    if (alongside > 0) {
                        overlap(g, k, slice.subList(i + 1, i + 1 + alongside));
                        i += alongside;
                        continue;
                    }
                    call(g, k);
                    if (checkNumerics) {
                        NumericsCalls.output(g, plan.program().graph(), k, b -> load(g, b));
                    }
                } else {
                    copy(g, (Step.Copy) slice.get(i));
                }
            }
            g.returnValue();
            g.endMethod();
        }
    }

    /** In {@code execute(float[][])}: calls every driver with the feeds it received. */
    void callFromExecute(GeneratorAdapter g) {
        for (Method d : methods()) {
            g.loadThis();
            if (feedArray) {
                g.loadArg(0);
            } else {
                for (int f = 0; f < plan.feeds().size(); f++) {
                    g.loadArg(0);
                    g.push(f);
                    g.arrayLoad(FLOATS);
                }
            }
            g.invokeVirtual(owner, d);
        }
    }

    /** In an entry point taking feed {@code f} as parameter {@code paramOfFeed[f]}: calls every driver. */
    void callWithParameters(GeneratorAdapter g, int[] paramOfFeed) {
        if (feedArray) {
            throw new IllegalStateException("the drivers take the feed array");
        }
        for (Method d : methods()) {
            g.loadThis();
            for (int param : paramOfFeed) {
                g.loadArg(param);
            }
            g.invokeVirtual(owner, d);
        }
    }

    /** The steps cut into slices of at most {@link #DRIVER_BYTES} each, for the given way of passing feeds. */
    private List<List<Step>> slices(boolean feedArray) {
        // saving the feeds for other threads: a field store each, or the array's
        int start = parallel.isEmpty() ? 0 : feedArray ? 5 : 6 * savedFeeds.size();
        List<List<Step>> out = new ArrayList<>();
        List<Step> current = new ArrayList<>();
        // the first driver checks the run's sources first
        int bytes = start + (checkNumerics ? NumericsCalls.BYTES * NumericsCalls.sources(plan).size() : 0);
        for (Step s : plan.steps()) {
            // a field load is 4 bytes, a feed load 1-2 (5 from the feed array), the call 3; a copy is about 20
            int cost = s instanceof Step.Kernel k ? cost(codes.get(k), feedArray) : 20;
            if (checkNumerics && s instanceof Step.Kernel) {
                cost += NumericsCalls.BYTES;
            }
            if (bytes + cost > DRIVER_BYTES && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
                bytes = start;
            }
            current.add(s);
            bytes += cost;
        }
        out.add(current);
        return out;
    }

    /** Bytes of a driver's call of a kernel, its partial sums' method's too. */
    private static int cost(Lowering.Code code, boolean feedArray) {
        int call = 3 + (feedArray ? 5 : 4) * code.arity() + (code.ranged() ? 6 : 0) + (code.parallel() ? 7 : 0);
        return code.sum() != null ? 2 * call : call;
    }

    /**
     * For each shared kernel's id, the arrays its caller writes while waiting ({@link Overlap#claims}); none:
     * absent. At most {@link #MAX_CLAIMS} in all, which keeps {@code whileWaiting} far below HotSpot's
     * 8,000-byte JIT limit (a claim is 8 bytes of bytecode).
     */
    Map<Integer, List<Buffer>> claims() {
        Map<Integer, List<Buffer>> out = new HashMap<>();
        int total = 0;
        for (List<Step> slice : slices) {
            for (int i = 0; i < slice.size(); i++) {
                if (slice.get(i) instanceof Step.Kernel k && parallel.containsKey(k)) {
                    List<Buffer> c = Overlap.claims(slice, i, codes, checkNumerics);
                    c = c.subList(0, Math.min(c.size(), MAX_CLAIMS - total));
                    if (!c.isEmpty()) {
                        out.put(parallel.get(k), c);
                        total += c.size();
                    }
                }
            }
        }
        return out;
    }

    /** Arrays the callers of all shared kernels may write while waiting, at most. */
    static final int MAX_CLAIMS = 300;

    /** Shared kernel {@code k} begun on the other threads, {@code alongside} run meanwhile, then {@code k} joined. */
    private void overlap(GeneratorAdapter g, Step.Kernel k, List<Step> alongside) {
        ClassGenerator.line(g, k.node().pos());
        Lowering.Code code = codes.get(k);
        ParallelCalls.call(g, owner, parallel.get(k), code, true);
        for (Step s : alongside) {
            call(g, (Step.Kernel) s);
        }
        ClassGenerator.line(g, k.node().pos());
        ParallelCalls.join(g, owner);
        callSum(g, k, code);
    }

    private void call(GeneratorAdapter g, Step.Kernel k) {
        ClassGenerator.line(g, k.node().pos());
        Lowering.Code code = codes.get(k);
        if (code.parallel()) {
            ParallelCalls.call(g, owner, parallel.get(k), code, false);
        } else {
            loadArgs(g, k, false);
            if (code.ranged()) { // all of it
                g.push(0);
                g.push(code.range().rows());
            }
            g.invokeStatic(owner, ClassGenerator.kernelMethod(k, code));
        }
        callSum(g, k, code);
    }

    /** For a kernel that leaves partial sums, the call of its second method, which adds them up. */
    private void callSum(GeneratorAdapter g, Step.Kernel k, Lowering.Code code) {
        if (code.sum() != null) {
            loadArgs(g, k, false);
            g.invokeStatic(owner, ClassGenerator.sumMethod(k, code));
        }
    }

    /** Pushes kernel {@code k}'s arrays: in a driver, or all from fields ({@code fromFields}) in {@code runPart}. */
    void loadArgs(GeneratorAdapter g, Step.Kernel k, boolean fromFields) {
        Lowering.Code code = codes.get(k);
        for (Buffer b : code.params()) {
            if (fromFields && b.kind() == Buffer.Kind.FEED) {
                ParallelCalls.loadSavedFeed(g, owner, b, feedArray);
            } else {
                load(g, b);
            }
        }
        if (code.workspace() > 0) {
            g.loadThis();
            g.getField(owner, ClassGenerator.WORKSPACE, FLOATS);
        }
    }

    private void copy(GeneratorAdapter g, Step.Copy c) {
        ClassGenerator.line(g, c.node().pos());
        load(g, c.from());
        g.push(0);
        load(g, c.to());
        g.push(0);
        g.push(c.node().shape().size());
        g.invokeStatic(Type.getType(System.class), new Method("arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V"));
    }

    /** In a driver, pushes a buffer: a field, a feed parameter, or an element of the feed array. */
    private void load(GeneratorAdapter g, Buffer b) {
        if (b.kind() != Buffer.Kind.FEED) {
            g.loadThis();
            g.getField(owner, b.name(), FLOATS);
        } else if (feedArray) {
            g.loadArg(0);
            g.push(b.index());
            g.arrayLoad(FLOATS);
        } else {
            g.loadArg(b.index());
        }
    }
}
