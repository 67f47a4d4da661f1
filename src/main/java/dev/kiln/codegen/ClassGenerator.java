package dev.kiln.codegen;

import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Step;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * Writes the class for a plan: a field per buffer, a constructor taking the arrays, one static method
 * per kernel named after its node, a driver calling them in order (split so every method stays small
 * enough for the JIT), {@link CompiledModel#execute} and the user's entry point. Each kernel and each
 * call carries the line of the DSL that built its node, and the source file is the model's.
 */
public final class ClassGenerator {
    /** Bytecode per driver method, estimated: keeps each driver well under HotSpot's 8,000-byte JIT limit. */
    static final int DRIVER_BYTES = 4000;
    static final String WORKSPACE = "workspace$"; // '$' never appears in a buffer's name
    /** Parameter slots a JVM method may take, {@code this} included (JVMS 4.3.3). */
    static final int MAX_SLOTS = 255;
    private static final Type FLOATS = Type.getType(float[].class);

    private final Plan plan;
    private final String internalName;
    private final EntryPoint entry;
    private final ClassWriter cw;

    private final int lanes;
    private final Type owner;
    /**
     * True when the plan has more feeds than a method can take as parameters: the drivers then take the
     * {@code float[][]} that {@code execute} received and read each feed from it, and there is no
     * {@code run} taking every feed. Otherwise (the common case) each feed is a parameter of its own.
     */
    private final boolean feedArray;
    /** Each kernel's code, computed once. */
    private final java.util.Map<Step.Kernel, Lowering.Code> codes = new java.util.LinkedHashMap<>();
    /** The kernels whose rows are shared between threads, in order: their index is their id in runPart. */
    private final List<Step.Kernel> parallel = new ArrayList<>();

    private ClassGenerator(Plan plan, String internalName, EntryPoint entry, Backend backend, int threads) {
        this.plan = plan;
        this.lanes = backend == Backend.VECTOR ? Backend.lanes() : 0;
        this.owner = Type.getObjectType(internalName);
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                Lowering.Code code = Lowering.lower(k, lanes, owner, threads);
                if (code.arity() + (code.parallel() ? 2 : 0) > MAX_SLOTS) { // fusion caps keep kernels far below
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
        this.feedArray = plan.feeds().size() >= MAX_SLOTS; // this and one slot per feed
        // (a user's interface method supplies every feed, so it never has that many)
        this.entry = entry != null ? entry : feedArray ? null : EntryPoint.natural(plan.feeds().size(),
                plan.program().fetches().stream().mapToInt(f -> f.shape().size()).toArray());
        this.cw = Emitter.classWriter();
    }

    /**
     * The class file for {@code plan}, named {@code internalName}, with {@code entry} as its public method
     * (implementing the entry's interface, if it has one), or the natural {@code run} when null (none when
     * the plan has more feeds than a method can take: {@code execute} is then the only way in).
     */
    public static byte[] generate(Plan plan, String internalName, EntryPoint entry, Backend backend, int threads) {
        return new ClassGenerator(plan, internalName, entry, backend, threads).generate();
    }

    /** True when the class for these settings shares rows between threads, so its constructor takes a pool. */
    public static boolean usesPool(Plan plan, Backend backend, int threads) {
        return !new ClassGenerator(plan, "probe", null, backend, threads).parallel.isEmpty();
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
        for (Buffer b : plan.fields()) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, b.name(), FLOATS.getDescriptor(), null, null).visitEnd();
        }
        if (workspace() > 0) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, WORKSPACE, FLOATS.getDescriptor(), null, null).visitEnd();
        }
        if (!parallel.isEmpty()) {
            ParallelCalls.declare(cw, plan);
        }
        constructor();
        List<Method> drivers = drivers();
        execute(drivers);
        if (entry != null) {
            entryPoint(drivers);
        }
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                kernel(k);
            }
        }
        if (!parallel.isEmpty()) {
            ParallelCalls.runPart(cw, owner, parallel, codes, this::loadArgs);
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private void constructor() {
        GeneratorAdapter g = method(Opcodes.ACC_PUBLIC, new Method("<init>",
                parallel.isEmpty() ? "([[F)V" : "([[F" + Type.getDescriptor(WorkerPool.class) + ")V"));
        g.loadThis();
        g.invokeConstructor(Type.getType(Object.class), new Method("<init>", "()V"));
        List<Buffer> fields = plan.fields();
        for (int i = 0; i < fields.size(); i++) {
            g.loadThis();
            g.loadArg(0);
            g.push(i);
            g.arrayLoad(FLOATS);
            g.putField(Type.getObjectType(internalName), fields.get(i).name(), FLOATS);
        }
        if (workspace() > 0) { // allocated once, here, never during a run
            g.loadThis();
            g.push(workspace());
            g.newArray(Type.FLOAT_TYPE);
            g.putField(owner, WORKSPACE, FLOATS);
        }
        if (!parallel.isEmpty()) {
            g.loadThis();
            g.loadArg(1);
            g.putField(owner, ParallelCalls.POOL, Type.getType(WorkerPool.class));
        }
        g.returnValue();
        g.endMethod();
    }

    private Method driverMethod(int part, int parts) {
        String desc = feedArray ? "([[F)V" : "(" + FLOATS.getDescriptor().repeat(plan.feeds().size()) + ")V";
        return new Method(parts == 1 ? "step" : "step_" + part, desc);
    }

    /** The steps cut into slices of at most {@link #DRIVER_BYTES} of calls each. */
    private List<List<Step>> slices() {
        List<List<Step>> slices = new ArrayList<>();
        List<Step> current = new ArrayList<>();
        int bytes = 0;
        for (Step s : plan.steps()) {
            // a field load is 4 bytes, a feed load 1-2 (5 from the feed array), the call 3; a copy is about 20
            int cost = s instanceof Step.Kernel k ? 3 + (feedArray ? 5 : 4) * codes.get(k).arity() : 20;
            if (bytes + cost > DRIVER_BYTES && !current.isEmpty()) {
                slices.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(s);
            bytes += cost;
        }
        slices.add(current);
        return slices;
    }

    /** The driver methods, each running a slice of the steps; returns them in order. */
    private List<Method> drivers() {
        List<List<Step>> slices = slices();
        int parts = slices.size();
        List<Method> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            Method m = driverMethod(p, parts);
            out.add(m);
            GeneratorAdapter g = method(Opcodes.ACC_PRIVATE, m);
            if (!parallel.isEmpty()) {
                ParallelCalls.saveFeeds(g, owner, plan, f -> loadFeed(g, f)); // parts running on other threads read them from fields
            }
            for (Step s : slices.get(p)) {
                if (s instanceof Step.Kernel k) {
                    call(g, k);
                } else {
                    copy(g, (Step.Copy) s);
                }
            }
            g.returnValue();
            g.endMethod();
        }
        return out;
    }

    private void call(GeneratorAdapter g, Step.Kernel k) {
        line(g, k.node().pos());
        Lowering.Code code = codes.get(k);
        if (code.parallel()) {
            ParallelCalls.call(g, owner, parallel.indexOf(k), code);
            return;
        }
        loadArgs(g, k, false);
        g.invokeStatic(owner, kernelMethod(k, code));
    }

    /** Pushes kernel {@code k}'s arrays: from the driver's parameters, or all from fields ({@code fromFields}). */
    private void loadArgs(GeneratorAdapter g, Step.Kernel k, boolean fromFields) {
        Lowering.Code code = codes.get(k);
        for (Buffer b : code.params()) {
            if (fromFields && b.kind() == Buffer.Kind.FEED) {
                g.loadThis();
                g.getField(owner, ParallelCalls.feedField(b), FLOATS);
            } else {
                load(g, b);
            }
        }
        if (code.workspace() > 0) {
            g.loadThis();
            g.getField(owner, WORKSPACE, FLOATS);
        }
    }

    private void copy(GeneratorAdapter g, Step.Copy c) {
        line(g, c.node().pos());
        load(g, c.from());
        g.push(0);
        load(g, c.to());
        g.push(0);
        g.push(c.node().shape().size());
        g.invokeStatic(Type.getType(System.class), new Method("arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V"));
    }

    /** Pushes a buffer: a feed or a field. */
    private void load(GeneratorAdapter g, Buffer b) {
        if (b.kind() == Buffer.Kind.FEED) {
            loadFeed(g, b);
            return;
        }
        g.loadThis();
        g.getField(Type.getObjectType(internalName), b.name(), FLOATS);
    }

    /** In a driver, pushes a feed: its parameter, or its element of the feed array. */
    private void loadFeed(GeneratorAdapter g, Buffer feed) {
        if (feedArray) {
            g.loadArg(0);
            g.push(feed.index());
            g.arrayLoad(FLOATS);
        } else {
            g.loadArg(feed.index());
        }
    }

    /**
     * The workspace kernels share (they run one at a time; a kernel using it is never split between
     * threads): as large as the largest need.
     */
    private int workspace() {
        return codes.values().stream().mapToInt(Lowering.Code::workspace).max().orElse(0);
    }

    static Method kernelMethod(Step.Kernel k, Lowering.Code code) {
        return new Method(k.method(), "(" + FLOATS.getDescriptor().repeat(code.arity()) + (code.parallel() ? "II" : "") + ")V");
    }

    private void kernel(Step.Kernel k) {
        Lowering.Code code = codes.get(k);
        GeneratorAdapter g = method(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, kernelMethod(k, code));
        line(g, k.node().pos());
        code.body().accept(g);
        g.endMethod();
    }

    private void execute(List<Method> drivers) {
        GeneratorAdapter g = method(Opcodes.ACC_PUBLIC, new Method("execute", "([[F)V"));
        for (Method d : drivers) {
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
            g.invokeVirtual(Type.getObjectType(internalName), d);
        }
        g.returnValue();
        g.endMethod();
    }

    private void entryPoint(List<Method> drivers) {
        GeneratorAdapter g = method(Opcodes.ACC_PUBLIC, new Method(entry.name(), entry.descriptor()));
        if (entry.iface() == null) {
            for (int f : entry.feedOfParam()) {
                g.visitParameter(plan.feeds().get(f).name(), 0);
            }
        }
        for (int p = 0; p < entry.feedOfParam().length; p++) {
            if (entry.feedOfParam()[p] < 0) {
                continue; // a placeholder this run does not read
            }
            Node feed = plan.feeds().get(entry.feedOfParam()[p]);
            g.loadArg(p);
            g.push(feed.shape().size());
            g.push(feed.name());
            g.push(feed.shape().toString());
            g.invokeStatic(Type.getType(Checks.class), new Method("feed", "([FILjava/lang/String;Ljava/lang/String;)V"));
        }
        for (Method d : drivers) {
            g.loadThis();
            for (int f = 0; f < plan.feeds().size(); f++) {
                int param = indexOf(entry.feedOfParam(), f);
                g.loadArg(param);
            }
            g.invokeVirtual(Type.getObjectType(internalName), d);
        }
        Class<?> r = entry.returnType();
        if (r == float.class) {
            load(g, plan.fetches().get(0));
            g.push(0);
            g.arrayLoad(Type.FLOAT_TYPE);
        } else if (r == float[].class) {
            load(g, plan.fetches().get(0));
        }
        g.returnValue();
        g.endMethod();
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("feed " + v + " is not bound to a parameter");
    }

    private GeneratorAdapter method(int access, Method m) {
        return new GeneratorAdapter(access, m, null, null, cw);
    }

    private static void line(GeneratorAdapter g, SourcePos pos) {
        if (pos.line() > 0) {
            Label l = g.newLabel();
            g.mark(l);
            g.visitLineNumber(pos.line(), l);
        }
    }
}
