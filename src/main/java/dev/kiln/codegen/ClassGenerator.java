package dev.kiln.codegen;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Step;
import dev.kiln.runtime.Checks;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.RunGuard;
import dev.kiln.runtime.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * Writes the class for a plan: a field per buffer, a constructor taking the arrays, one static method
 * per kernel named after its node, the drivers calling them in order ({@link Drivers}),
 * {@link CompiledModel#execute} and the user's entry point, both guarded against two threads running at
 * once ({@link RunGuard}). Each kernel and each call carries the line of the DSL that built its node, and
 * the source file is the model's. With check-numerics, the drivers also check the sources when the run
 * starts and each kernel's output after it (see {@link NumericsCalls}); without, the class holds no trace
 * of it.
 *
 * <p>Every method stays under HotSpot's 8,000-byte JIT limit however large the graph: kernels are
 * bounded by the fusion passes' caps, drivers by {@link Drivers#DRIVER_BYTES}, {@code runPart} by
 * {@link ParallelCalls#CASES_PER_METHOD}, and with more than
 * {@value #FIELDS_PER_METHOD} buffers the constructor hands the arrays to its fields in several
 * methods ({@code fields_0}, {@code fields_1}, ...), the fields then not being final (a final field can
 * only be set in the constructor itself).
 */
public final class ClassGenerator {
    static final String WORKSPACE = "workspace$"; // '$' never appears in a buffer's name
    /** Holds the feeds during a call of an entry point whose drivers take the feed array. */
    private static final String ENTRY_FEEDS = "entryFeeds$";
    /** Fields set per method: about 9 bytes each. */
    static final int FIELDS_PER_METHOD = 400;
    private static final Type FLOATS = Type.getType(float[].class);
    private static final Type FEED_ARRAY = Type.getType(float[][].class);
    /** The unguarded body of {@code execute}, for an entry point that runs inside its own guard. */
    private static final Method RUN_FEEDS = new Method("runFeeds$", "([[F)V");

    private final Plan plan;
    private final String internalName;
    private final EntryPoint entry;
    private final ClassWriter cw;

    private final int lanes;
    private final Type owner;
    /** Each kernel's code, computed once. */
    private final java.util.Map<Step.Kernel, Lowering.Code> codes = new java.util.LinkedHashMap<>();
    /** The kernels whose rows are shared between threads, in order: their index is their id in runPart. */
    private final List<Step.Kernel> parallel = new ArrayList<>();
    private final Drivers drivers;

    private ClassGenerator(Plan plan, String internalName, EntryPoint entry, Backend backend, int threads,
            boolean checkNumerics) {
        this.plan = plan;
        this.lanes = backend == Backend.VECTOR ? Backend.lanes() : 0;
        this.owner = Type.getObjectType(internalName);
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                Lowering.Code code = Lowering.lower(k, lanes, owner, threads);
                if (code.arity() + (code.ranged() ? 2 : 0) > Drivers.MAX_SLOTS) { // fusion caps keep kernels far below
                    throw new IllegalStateException("kernel " + k.method() + " would take " + code.arity()
                            + " arrays, more than a JVM method can take");
                }
                codes.put(k, code);
                if (code.parallel()) {
                    parallel.add(k);
                }
            }
        }
        this.internalName = internalName;
        this.drivers = new Drivers(plan, owner, codes, parallel, checkNumerics);
        // no Java method takes 255 arrays, so then there is no run (a user's interface supplies every feed)
        this.entry = entry != null ? entry : plan.feeds().size() >= Drivers.MAX_SLOTS ? null
                : EntryPoint.natural(plan.feeds().size(), plan.program().fetches().stream().mapToInt(f -> f.shape().size()).toArray());
        this.cw = Emitter.classWriter();
    }

    /**
     * The class file for {@code plan}, named {@code internalName}, with {@code entry} as its public method
     * (implementing the entry's interface, if it has one), or the natural {@code run} when null (none when
     * the plan has more feeds than a method can take: {@code execute} is then the only way in); with
     * {@code checkNumerics}, every run checks its values and throws {@link dev.kiln.ir.NumericsException} at
     * the first NaN or infinity.
     */
    public static byte[] generate(Plan plan, String internalName, EntryPoint entry, Backend backend, int threads,
            boolean checkNumerics) {
        return new ClassGenerator(plan, internalName, entry, backend, threads, checkNumerics).generate();
    }

    /** True when the class for these settings shares rows between threads, so its constructor takes a pool. */
    public static boolean usesPool(Plan plan, Backend backend, int threads) {
        return !new ClassGenerator(plan, "probe", null, backend, threads, false).parallel.isEmpty();
    }

    private byte[] generate() {
        List<String> interfaces = new ArrayList<>(List.of(Type.getInternalName(CompiledModel.class)));
        if (entry != null && entry.iface() != null) {
            interfaces.add(Type.getInternalName(entry.iface()));
        }
        if (!parallel.isEmpty()) {
            interfaces.add(Type.getInternalName(WorkerPool.Parallel.class));
        }
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                "java/lang/Object", interfaces.toArray(new String[0]));
        cw.visitSource(plan.program().graph().sourceFile(), null);
        if (lanes > 0) {
            VectorOps.declareSpecies(cw, Type.getObjectType(internalName), lanes);
        }
        int fieldAccess = Opcodes.ACC_PRIVATE | (finalFields() ? Opcodes.ACC_FINAL : 0);
        for (Buffer b : plan.fields()) {
            cw.visitField(fieldAccess, b.name(), FLOATS.getDescriptor(), null, null).visitEnd();
        }
        if (workspace() > 0) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, WORKSPACE, FLOATS.getDescriptor(), null, null).visitEnd();
        }
        if (entry != null && drivers.feedArray()) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, ENTRY_FEEDS, FEED_ARRAY.getDescriptor(), null, null).visitEnd();
        }
        drivers.declareFields(cw);
        GuardCalls.declare(cw, owner);
        constructor();
        drivers.write(cw);
        execute();
        if (entry != null) {
            entryPoint();
        }
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                kernel(k);
            }
        }
        if (!parallel.isEmpty()) {
            ParallelCalls.runPart(cw, owner, parallel, codes, drivers::loadArgs);
            ParallelCalls.whileWaiting(cw, owner, drivers.claims());
        }
        cw.visitEnd();
        try {
            return cw.toByteArray();
        } catch (ClassTooLargeException e) { // each buffer and each kernel takes about three entries
            throw new KilnException(plan.program().graph().sourceFile() + ": the program is too large for one class: "
                    + plan.fields().size() + " buffers and " + codes.size() + " kernels need " + e.getConstantPoolCount()
                    + " constant pool entries, the JVM allows 65,535; split it into smaller programs");
        }
    }

    /** True when the constructor sets every buffer's field itself, so they can be final. */
    private boolean finalFields() {
        return plan.fields().size() <= FIELDS_PER_METHOD;
    }

    private void constructor() {
        GeneratorAdapter g = method(Opcodes.ACC_PUBLIC, new Method("<init>",
                parallel.isEmpty() ? "([[F)V" : "([[F" + Type.getDescriptor(WorkerPool.class) + ")V"));
        g.loadThis();
        g.invokeConstructor(Type.getType(Object.class), new Method("<init>", "()V"));
        GuardCalls.initialize(g, owner);
        List<Buffer> fields = plan.fields();
        if (finalFields()) {
            setFields(g, fields);
        } else {
            for (int from = 0, part = 0; from < fields.size(); from += FIELDS_PER_METHOD, part++) {
                Method m = new Method("fields_" + part, "([[F)V");
                GeneratorAdapter f = method(Opcodes.ACC_PRIVATE, m);
                setFields(f, fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_METHOD)));
                f.returnValue();
                f.endMethod();
                g.loadThis();
                g.loadArg(0);
                g.invokeVirtual(owner, m);
            }
        }
        if (workspace() > 0) { // allocated once, here, never during a run
            g.loadThis();
            g.push(workspace());
            g.newArray(Type.FLOAT_TYPE);
            g.putField(owner, WORKSPACE, FLOATS);
        }
        if (entry != null && drivers.feedArray()) {
            g.loadThis();
            g.push(plan.feeds().size());
            g.newArray(FLOATS);
            g.putField(owner, ENTRY_FEEDS, FEED_ARRAY);
        }
        if (!parallel.isEmpty()) {
            g.loadThis();
            g.loadArg(1);
            g.putField(owner, ParallelCalls.POOL, Type.getType(WorkerPool.class));
        }
        g.returnValue();
        g.endMethod();
    }

    /** {@code this.b = arrays[b.index()]} for each of {@code buffers}; {@code arrays} is argument 0. */
    private void setFields(GeneratorAdapter g, List<Buffer> buffers) {
        for (Buffer b : buffers) {
            g.loadThis();
            g.loadArg(0);
            g.push(b.index());
            g.arrayLoad(FLOATS);
            g.putField(owner, b.name(), FLOATS);
        }
    }

    /**
     * The workspace kernels share (they run one at a time; threads sharing a kernel use disjoint parts
     * of it): as large as the largest need.
     */
    private int workspace() {
        return codes.values().stream().mapToInt(Lowering.Code::workspace).max().orElse(0);
    }

    static Method kernelMethod(Step.Kernel k, Lowering.Code code) {
        return new Method(k.method(), "(" + FLOATS.getDescriptor().repeat(code.arity()) + (code.ranged() ? "II" : "") + ")V");
    }

    /** The method finishing a kernel that leaves partial sums: its name with {@code $sum}, its arrays. */
    static Method sumMethod(Step.Kernel k, Lowering.Code code) {
        return new Method(k.method() + "$sum", "(" + FLOATS.getDescriptor().repeat(code.arity()) + ")V");
    }

    private void kernel(Step.Kernel k) {
        Lowering.Code code = codes.get(k);
        GeneratorAdapter g = method(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, kernelMethod(k, code));
        line(g, k.node().pos());
        code.body().accept(g);
        g.endMethod();
        if (code.sum() != null) {
            GeneratorAdapter sum = method(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, sumMethod(k, code));
            line(sum, k.node().pos());
            code.sum().accept(sum);
            sum.endMethod();
        }
    }

    private void execute() {
        GeneratorAdapter g = method(Opcodes.ACC_PUBLIC, new Method("execute", "([[F)V"));
        GuardCalls.guardedReturn(g, owner, Type.VOID_TYPE, () -> drivers.callFromExecute(g));
        g.endMethod();
        if (entry != null && drivers.feedArray()) {
            GeneratorAdapter r = method(Opcodes.ACC_PRIVATE, RUN_FEEDS);
            drivers.callFromExecute(r);
            r.returnValue();
            r.endMethod();
        }
    }

    private void entryPoint() {
        GeneratorAdapter g = method(Opcodes.ACC_PUBLIC, new Method(entry.name(), entry.descriptor()));
        if (entry.iface() == null) {
            for (int f : entry.feedOfParam()) {
                g.visitParameter(plan.feeds().get(f).name(), 0);
            }
        }
        int[] paramOfFeed = new int[plan.feeds().size()];
        Arrays.fill(paramOfFeed, -1);
        for (int p = 0; p < entry.feedOfParam().length; p++) {
            int f = entry.feedOfParam()[p];
            if (f < 0) {
                continue; // a placeholder this run does not read
            }
            paramOfFeed[f] = p;
            Node feed = plan.feeds().get(f);
            g.loadArg(p);
            g.push(feed.shape().size());
            g.push(feed.name());
            g.push(feed.shape().toString());
            g.invokeStatic(Type.getType(Checks.class), new Method("feed", "([FILjava/lang/String;Ljava/lang/String;)V"));
        }
        Class<?> r = entry.returnType();
        GuardCalls.guardedReturn(g, owner, Type.getType(r), () -> {
            if (drivers.feedArray()) {
                callThroughExecute(g, paramOfFeed);
            } else {
                drivers.callWithParameters(g, paramOfFeed);
            }
            if (r == float.class || r == float[].class) { // read inside the guard: the next run overwrites the fetch
                g.loadThis();
                g.getField(owner, plan.fetches().get(0).name(), FLOATS);
                if (r == float.class) {
                    g.push(0);
                    g.arrayLoad(Type.FLOAT_TYPE);
                }
            }
        });
        g.endMethod();
    }

    /**
     * When the drivers take the feed array: puts the parameters in the instance's array, runs the drivers
     * on it (execute's body, inside the entry point's guard), and clears it, so the instance does not keep
     * the caller's arrays.
     */
    private void callThroughExecute(GeneratorAdapter g, int[] paramOfFeed) {
        for (int f = 0; f < paramOfFeed.length; f++) {
            g.loadThis();
            g.getField(owner, ENTRY_FEEDS, FEED_ARRAY);
            g.push(f);
            g.loadArg(paramOfFeed[f]);
            g.arrayStore(FLOATS);
        }
        g.loadThis();
        g.loadThis();
        g.getField(owner, ENTRY_FEEDS, FEED_ARRAY);
        g.invokeVirtual(owner, RUN_FEEDS);
        g.loadThis();
        g.getField(owner, ENTRY_FEEDS, FEED_ARRAY);
        g.push((String) null);
        g.invokeStatic(Type.getType(Arrays.class), new Method("fill", "([Ljava/lang/Object;Ljava/lang/Object;)V"));
    }

    private GeneratorAdapter method(int access, Method m) {
        return new GeneratorAdapter(access, m, null, null, cw);
    }

    static void line(GeneratorAdapter g, SourcePos pos) {
        if (pos.line() > 0) {
            Label l = g.newLabel();
            g.mark(l);
            g.visitLineNumber(pos.line(), l);
        }
    }
}
