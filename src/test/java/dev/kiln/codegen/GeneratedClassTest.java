package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.api.Compiler;
import dev.kiln.api.Options;
import dev.kiln.compiled.Differential;
import dev.kiln.compiled.Examples;
import dev.kiln.compiled.OpCatalog;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Planner;
import dev.kiln.plan.Step;
import dev.kiln.runtime.Checks;
import dev.kiln.runtime.RunGuard;
import dev.kiln.runtime.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The generated classes themselves, for the canonical program, the example models and every graph of
 * the op catalog: they verify; every method is under HotSpot's 8,000-byte JIT limit; nothing reachable
 * from {@code execute} allocates, and it calls out of the class only to an allowlist; the source file is
 * the model's, kernels are named after their nodes, and their line numbers are the DSL lines that built
 * the nodes.
 */
class GeneratedClassTest {
    /** HotSpot does not JIT-compile methods with more bytecode than this (-XX:-DontCompileHugeMethods). */
    static final int HUGE_METHOD_LIMIT = 8000;

    /** Lines of the DSL calls in {@link #canonical()}, filled as it is built. */
    static final Map<String, Integer> CANONICAL_LINES = new HashMap<>();

    /** The line of the caller, for recording where a DSL call is (put it on the same line). */
    private static int line() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }

    /** The reference README's program, as InterpreterReferenceTest writes it, recording the line of each node. */
    static Graph canonical() {
        int dIn = 1000;
        int h = 100;
        int dOut = 10;
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, dIn));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, dOut));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(dIn, h)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(h, dOut)));
        Node hidden = tf.matmul(x, w1); CANONICAL_LINES.put("h", line());
        Node hRelu = tf.maximum(hidden, tf.zeros(Tf.shape(1))); CANONICAL_LINES.put("h_relu", line());
        Node yPred = tf.matmul(hRelu, w2); CANONICAL_LINES.put("y_pred", line());
        Node loss = tf.name("loss", tf.reduceSum(tf.pow(tf.sub(y, yPred), 2f))); CANONICAL_LINES.put("loss", line());
        List<Node> grads = tf.gradients(loss, w1, w2); CANONICAL_LINES.put("gradients", line());
        float learningRate = 1e-6f;
        tf.assign(w1, tf.sub(w1, tf.mul(learningRate, grads.get(0)))); CANONICAL_LINES.put("new_w1", line());
        tf.assign(w2, tf.sub(w2, tf.mul(learningRate, grads.get(1)))); CANONICAL_LINES.put("new_w2", line());
        return tf.build();
    }

    static Differential.Case canonicalCase() {
        Graph g = canonical().bind(64);
        return new Differential.Case("canonical (Java DSL)", g, List.of("loss"), g.sideEffects(), Map.of());
    }

    /** Each case is compiled once for all the checks. */
    private static final Map<Differential.Case, Compiler.Compiled> COMPILED = new IdentityHashMap<>();
    private static List<Differential.Case> cases;

    static synchronized Compiler.Compiled compile(Differential.Case c) {
        return COMPILED.computeIfAbsent(c, k -> Compiler.compile(new Program(k.graph(), k.fetchNodes(), k.targets()),
                new Options().seed(Differential.SEED)));
    }

    static ClassNode classNode(byte[] bytes) {
        ClassNode cn = new ClassNode();
        new ClassReader(bytes).accept(cn, 0);
        return cn;
    }

    /**
     * Every case: the canonical program written in Java, the example models, and the op catalog (whose
     * reshape cases do not compile yet; see CompiledVsInterpreterTest#reshapes).
     */
    static synchronized Stream<Differential.Case> cases() {
        if (cases != null) {
            return cases.stream();
        }
        List<Differential.Case> all = new ArrayList<>();
        all.add(canonicalCase());
        for (String f : Examples.FILES) {
            all.add(Examples.load(f, 64));
        }
        Set<String> reshapes = new LinkedHashSet<>();
        OpCatalog.reshapes().forEach(c -> reshapes.add(c.name()));
        for (Differential.Case c : OpCatalog.all()) {
            if (!reshapes.contains(c.name())) {
                all.add(c);
            }
        }
        cases = List.copyOf(all);
        return cases.stream();
    }

    // ---------------------------------------------------------------- the checks, for every case

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theClassVerifies(Differential.Case c) {
        Compiler.Compiled compiled = compile(c);
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()), c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyMethodIsSmallEnoughForTheJit(Differential.Case c) {
        Compiler.Compiled compiled = compile(c);
        Map<String, Integer> lengths = codeLengths(compiled.bytes());
        ClassNode cn = classNode(compiled.bytes());
        assertEquals(cn.methods.size(), lengths.size(), "a code length for every method");
        for (Map.Entry<String, Integer> m : lengths.entrySet()) {
            assertTrue(m.getValue() > 0 && m.getValue() < HUGE_METHOD_LIMIT,
                    c.name() + ": method " + m.getKey() + " has " + m.getValue() + " bytes of bytecode");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nothingReachableFromExecuteAllocatesOrCallsOutsideTheAllowlist(Differential.Case c) {
        ClassNode cn = classNode(compile(c).bytes());
        Set<String> reached = checkReachable(cn, "execute([[F)V");
        // the public entry points (execute, and the typed run method) reach the drivers and every kernel
        for (MethodNode m : cn.methods) {
            if ((m.access & Opcodes.ACC_PUBLIC) != 0 && !m.name.equals("<init>")) {
                reached.addAll(checkReachable(cn, m.name + m.desc));
            }
        }
        for (MethodNode m : cn.methods) { // the constructor of a class with many buffers sets them in parts
            if (m.name.equals("<init>")) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode call && call.owner.equals(cn.name)) {
                        reached.add(call.name + call.desc);
                    }
                }
            }
        }
        for (MethodNode m : cn.methods) {
            if (!m.name.equals("<init>") && !m.name.equals("<clinit>")) { // <clinit> sets the vector species
                assertTrue(reached.contains(m.name + m.desc), c.name() + ": " + m.name + " is not reachable from a public method");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sourceFileMethodNamesAndLinesComeFromTheModel(Differential.Case c) {
        Compiler.Compiled compiled = compile(c);
        ClassNode cn = classNode(compiled.bytes());
        String file = c.graph().sourceFile();
        assertEquals(file, cn.sourceFile, "SourceFile attribute");
        assertTrue(cn.name.endsWith("Kiln_" + file.substring(0, file.indexOf('.'))), cn.name);
        Map<String, MethodNode> byName = new HashMap<>();
        for (MethodNode m : cn.methods) {
            byName.put(m.name, m);
        }
        Map<String, Integer> kernelLines = new HashMap<>();
        int kernels = 0;
        for (Step s : compiled.plan().steps()) {
            if (!(s instanceof Step.Kernel k)) {
                continue;
            }
            kernels++;
            Node n = k.node();
            MethodNode m = byName.get(k.method());
            assertNotNull(m, c.name() + ": no method " + k.method() + " for " + n);
            assertTrue(k.method().startsWith(n.op().name()), "kernel " + k.method() + " is not named after its op " + n.op().name());
            String own = compiled.optimized().graph().nameOf(n);
            String expected = (n.op().name() + "_" + (own != null ? own : Integer.toString(n.id()))).replaceAll("[^A-Za-z0-9_$]", "_");
            assertTrue(k.method().startsWith(expected), "kernel " + k.method() + " is not named after its node: " + expected);
            assertTrue((m.access & Opcodes.ACC_STATIC) != 0, k.method() + " is static");
            assertEquals(file, n.pos().file(), "node " + n + " is attributed to the model file");
            assertTrue(n.pos().line() > 0, "node " + n + " has a line");
            assertEquals(Set.of(n.pos().line()), lines(m), c.name() + ": lines of kernel " + k.method());
            kernelLines.put(k.method(), n.pos().line());
        }
        assertTrue(kernels > 0);
        // each call of a kernel in a driver is marked with the kernel's line
        for (MethodNode m : cn.methods) {
            if (!m.name.startsWith("step")) {
                continue;
            }
            int current = -1;
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof LineNumberNode ln) {
                    current = ln.line;
                } else if (insn instanceof MethodInsnNode call && call.owner.equals(cn.name)) {
                    // (kernel$sum: the second method of a product summed in pieces of k, at the kernel's line)
                    assertEquals(kernelLines.get(call.name.replace("$sum", "")), current, "the line of the call of " + call.name + " in " + m.name);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyKernelLineIsALineOfTheModelThatBuildsANode(Differential.Case c) {
        Set<Integer> modelLines = new TreeSet<>();
        for (Node n : c.graph().nodes()) {
            modelLines.add(n.pos().line());
        }
        ClassNode cn = classNode(compile(c).bytes());
        for (MethodNode m : cn.methods) {
            for (int line : lines(m)) {
                assertTrue(modelLines.contains(line), c.name() + ": " + m.name + " has line " + line
                        + ", where the model builds no node (lines " + modelLines + ")");
            }
        }
    }

    // ---------------------------------------------------------------- the canonical program in detail

    @Test
    void theCanonicalProgramsKernelsAreNamedAndNumberedAfterItsDslLines() {
        Differential.Case c = canonicalCase();
        ClassNode cn = classNode(compile(c).bytes());
        assertEquals("GeneratedClassTest.java", cn.sourceFile);
        assertTrue(cn.name.endsWith("/Kiln_GeneratedClassTest"), cn.name);
        MethodNode matmulRelu = method(cn, "matmul_relu");
        assertEquals(Set.of(CANONICAL_LINES.get("h_relu")), lines(matmulRelu), "relu(x @ w1) is built by the maximum line");
        assertEquals(Set.of(CANONICAL_LINES.get("loss")), lines(method(cn, "fused_reduce_sum_loss")));
        List<MethodNode> updates = cn.methods.stream().filter(m -> m.name.startsWith("sgd_update")).toList();
        assertEquals(2, updates.size(), "both updates are folded");
        Set<Integer> updateLines = new TreeSet<>();
        updates.forEach(m -> updateLines.addAll(lines(m)));
        assertEquals(new TreeSet<>(List.of(CANONICAL_LINES.get("new_w1"), CANONICAL_LINES.get("new_w2"))), updateLines);
    }

    @Test
    void theCanonicalScriptsKernelsCarryItsFileAndLines() {
        Differential.Case c = Examples.load("two_layer.kiln", 64);
        Compiler.Compiled compiled = compile(c);
        ClassNode cn = classNode(compiled.bytes());
        assertEquals("two_layer.kiln", cn.sourceFile);
        assertTrue(cn.name.endsWith("/Kiln_two_layer"), cn.name);
        String[] text = Examples.text("two_layer.kiln").split("\n", -1);
        // line numbers are 1-based: the kernel of relu(x @ w1) is the h_relu statement, the loss is the loss statement
        assertEquals(Set.of(lineOf(text, "h_relu = tf.maximum")), lines(method(cn, "matmul_relu_h_relu")));
        assertEquals(Set.of(lineOf(text, "loss = tf.reduce_sum")), lines(method(cn, "fused_reduce_sum_loss")));
        assertEquals(Set.of(lineOf(text, "new_w1 = w1.assign")), lines(method(cn, "sgd_update_new_w1")));
        assertEquals(Set.of(lineOf(text, "new_w2 = w2.assign")), lines(method(cn, "sgd_update_new_w2")));
        for (MethodNode m : cn.methods) {
            for (int l : lines(m)) {
                String stmt = text[l - 1];
                assertTrue(stmt.contains("tf.") || stmt.contains(".assign("), m.name + " has line " + l + ": " + stmt);
            }
        }
    }

    /** With fusion off, the product has its own kernel, at the line of {@code h = tf.matmul(x, w1)}. */
    @Test
    void anUnfusedMatmulIsAtItsOwnLine() {
        Differential.Case c = Examples.load("two_layer.kiln", 64);
        Compiler.Compiled compiled = Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()),
                new Options().seed(0).disablePasses("fuse-matmul", "fuse-elementwise", "fold-sgd-updates"));
        ClassNode cn = classNode(compiled.bytes());
        String[] text = Examples.text("two_layer.kiln").split("\n", -1);
        assertEquals(Set.of(lineOf(text, "h = tf.matmul(x, w1)")), lines(method(cn, "matmul_h")));
        assertEquals(Set.of(lineOf(text, "y_pred = tf.matmul(h_relu, w2)")), lines(method(cn, "matmul_y_pred")));
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()));
        checkReachable(cn, "execute([[F)V");
    }

    private static int lineOf(String[] text, String prefix) {
        for (int i = 0; i < text.length; i++) {
            if (text[i].startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }

    // ---------------------------------------------------------------- large graphs

    /** More kernels than one driver takes: several drivers, each small, all called, the result right. */
    @Test
    void manyKernelsAreSplitIntoSeveralSmallDrivers() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(2, 3));
        Random r = new Random(5);
        Node acc = x;
        for (int i = 0; i < Drivers.DRIVER_BYTES / 6; i++) { // each call about 15 bytes: 2-3 drivers
            float[] d = new float[9];
            for (int j = 0; j < d.length; j++) {
                d[j] = (r.nextFloat() - 0.5f) * 1.2f;
            }
            acc = tf.matmul(acc, tf.constant(new Tensor(Shape.of(3, 3), d))); // each product its own kernel
        }
        tf.name("out", acc);
        Graph g = tf.build();
        float[] xs = new float[6];
        for (int j = 0; j < xs.length; j++) {
            xs[j] = r.nextFloat();
        }
        Differential.Case c = new Differential.Case("chain of products", g, List.of("out"), List.of(),
                Map.of("x", new Tensor(Shape.of(2, 3), xs)));
        Compiler.Compiled compiled = compile(c);
        ClassNode cn = classNode(compiled.bytes());
        List<String> drivers = cn.methods.stream().map(m -> m.name).filter(n -> n.startsWith("step")).toList();
        assertTrue(drivers.size() >= 2, "drivers: " + drivers);
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()));
        codeLengths(compiled.bytes()).forEach((m, len) -> assertTrue(len < HUGE_METHOD_LIMIT, m + ": " + len + " bytes"));
        checkReachable(cn, "execute([[F)V");
        Differential.compare(c, 1);
    }

    /** A long elementwise chain summed is fused into one reduction loop; its kernel must still be JIT-compilable. */
    @Test
    void aLongElementwiseChainStaysUnderTheJitLimit() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(4, 5));
        Node acc = x;
        for (int i = 0; i < 300; i++) {
            acc = tf.tanh(tf.mul(acc, 0.9f));
        }
        tf.name("out", tf.reduceSum(acc));
        Graph g = tf.build();
        Differential.Case c = new Differential.Case("long chain", g, List.of("out"), List.of(),
                Map.of("x", new Tensor(Shape.of(4, 5), new float[20])));
        codeLengths(compile(c).bytes()).forEach((m, len) -> assertTrue(len < HUGE_METHOD_LIMIT, m + ": " + len + " bytes"));
        Differential.compare(c, 1);
    }

    /**
     * A JVM method takes at most 255 parameter slots: with 300 feeds the drivers read them from the feed
     * array instead of taking one parameter each, and there is no {@code run} taking every feed.
     */
    @Test
    void aKernelReadingManyArraysStillLoads() {
        Tf tf = new Tf();
        Node acc = tf.placeholder("x0", Tf.shape(3));
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("x0", new Tensor(Shape.of(3), new float[] {1, 2, 3}));
        for (int i = 1; i < 300; i++) {
            acc = tf.add(acc, tf.placeholder("x" + i, Tf.shape(3)));
            feeds.put("x" + i, new Tensor(Shape.of(3), new float[] {i, 0, -i}));
        }
        tf.name("sum", acc);
        Graph g = tf.build();
        Differential.Case c = new Differential.Case("300 inputs", g, List.of("sum"), List.of(), feeds);
        Compiler.Compiled compiled = compile(c);
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()));
        ClassNode cn = classNode(compiled.bytes());
        assertTrue(cn.methods.stream().noneMatch(m -> m.name.equals("run")), "no run(300 arrays)");
        assertTrue(cn.methods.stream().filter(m -> m.name.startsWith("step")).allMatch(m -> m.desc.equals("([[F)V")));
        checkReachable(cn, "execute([[F)V");
        Differential.compare(c, 1);
    }

    /** Just under the limit: 254 feeds are still parameters of the drivers and of run. */
    @Test
    void withFewerFeedsThanSlotsTheDriversTakeThemAsParameters() {
        Tf tf = new Tf();
        Node acc = tf.placeholder("x0", Tf.shape(2));
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("x0", new Tensor(Shape.of(2), new float[] {1, 2}));
        for (int i = 1; i < Drivers.MAX_SLOTS - 1; i++) {
            acc = tf.mul(acc, tf.placeholder("x" + i, Tf.shape(2)));
            feeds.put("x" + i, new Tensor(Shape.of(2), new float[] {1f + i / 1000f, 1f - i / 1000f}));
        }
        tf.name("product", acc);
        Differential.Case c = new Differential.Case("254 inputs", tf.build(), List.of("product"), List.of(), feeds);
        Compiler.Compiled compiled = compile(c);
        ClassNode cn = classNode(compiled.bytes());
        assertEquals("(" + "[F".repeat(254) + ")[F", method(cn, "run").desc);
        assertEquals("(" + "[F".repeat(254) + ")V", method(cn, "step").desc);
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()));
        Differential.compare(c, 1);
    }

    /** Past the constant pool's 65,535 entries (about 80,000 nodes of BigGraph), a clear error. */
    @Test
    void aProgramTooLargeForOneClassIsReportedAsSuch() {
        Tf tf = new Tf();
        tf.name("y", tf.tanh(tf.placeholder("x", Tf.shape(2))));
        Graph g = tf.build();
        Program p = new Program(g, List.of(g.node("y")), List.of());
        Plan plan;
        try {
            plan = Planner.plan(p, g.placeholders(), 0);
        } catch (dev.kiln.plan.PlanConflict e) {
            throw new AssertionError(e);
        }
        List<Buffer> fields = new ArrayList<>(plan.fields());
        for (int i = 0; i < 22_000; i++) { // a field takes three entries: its name, its name and type, the reference
            fields.add(new Buffer(fields.size(), "c" + i, 1, Buffer.Kind.CONSTANT, null, new Tensor(Shape.of(1), new float[1])));
        }
        Plan huge = new Plan(plan.program(), plan.feeds(), fields, plan.steps(), plan.fetches());
        dev.kiln.ir.KilnException e = org.junit.jupiter.api.Assertions.assertThrows(dev.kiln.ir.KilnException.class,
                () -> ClassGenerator.generate(huge, "dev/kiln/generated/Huge", null, Backend.SCALAR, 1, false));
        assertTrue(e.getMessage().startsWith("GeneratedClassTest.java: the program is too large for one class: 22001 buffers"
                + " and 1 kernels need "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" constant pool entries, the JVM allows 65,535; split it into smaller programs"),
                e.getMessage());
    }

    /** ASM's verifier accepts a method with too many parameters; Listing.verify must not. */
    @Test
    void verifyReportsMethodsWithTooManyParameterSlots() {
        org.objectweb.asm.ClassWriter cw = Emitter.classWriter();
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "dev/kiln/generated/TooMany", null, "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "many", "(" + "[F".repeat(256) + ")V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_STATIC, "enough", "(" + "[F".repeat(255) + ")V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        String report = Listing.verify(cw.toByteArray(), getClass().getClassLoader());
        assertTrue(report.contains("many: takes 256 parameter slots"), report);
        assertFalse(report.contains("enough"), report);
    }

    // ---------------------------------------------------------------- the checks' own tests

    @SuppressWarnings("unused")
    private static void emptyMethod() {}

    @SuppressWarnings("unused")
    private static int returnsOne() {
        return 1;
    }

    @Test
    void codeLengthsAreReadFromTheClassFile() throws IOException {
        byte[] own;
        try (InputStream in = GeneratedClassTest.class.getResourceAsStream("GeneratedClassTest.class")) {
            own = in.readAllBytes();
        }
        Map<String, Integer> lengths = codeLengths(own);
        assertEquals(1, lengths.get("emptyMethod()V"), "RETURN");
        assertEquals(2, lengths.get("returnsOne()I"), "ICONST_1 IRETURN");
        assertTrue(lengths.get("canonical()Ldev/kiln/ir/Graph;") > 100);
    }

    @Test
    void theReachabilityCheckRejectsAllocationAndForeignCalls() {
        ClassNode allocating = classNode(bytesOf(Allocating.class));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> checkReachable(allocating, "execute([[F)V"));
        assertTrue(e.getMessage().contains("NEWARRAY"), e.getMessage());
        ClassNode calling = classNode(bytesOf(CallingOut.class));
        e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> checkReachable(calling, "execute([[F)V"));
        assertTrue(e.getMessage().contains("java/lang/String"), e.getMessage());
    }

    /** Allocates two calls deep: the check must follow calls within the class. */
    static final class Allocating {
        public void execute(float[][] feeds) {
            helper(feeds[0]);
        }

        private static void helper(float[] a) {
            inner(a);
        }

        private static void inner(float[] a) {
            float[] copy = new float[a.length];
            System.arraycopy(a, 0, copy, 0, a.length);
        }
    }

    static final class CallingOut {
        public void execute(float[][] feeds) {
            feeds[0][0] = Math.max(feeds[0][0], String.valueOf(feeds[0][1]).length());
        }
    }

    private static byte[] bytesOf(Class<?> c) {
        String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static MethodNode method(ClassNode cn, String prefix) {
        // an exact name first: "run" is also the start of "runGuard" and "runPart"
        return cn.methods.stream().filter(m -> m.name.equals(prefix)).findFirst()
                .or(() -> cn.methods.stream().filter(m -> m.name.startsWith(prefix)).findFirst())
                .orElseThrow(() -> new AssertionError("no method starting with " + prefix + " in "
                        + cn.methods.stream().map(m -> m.name).toList()));
    }

    /** The lines in a method's LineNumberTable. */
    static Set<Integer> lines(MethodNode m) {
        Set<Integer> lines = new TreeSet<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof LineNumberNode ln) {
                lines.add(ln.line);
            }
        }
        return lines;
    }

    /**
     * The length of each method's code ({@code name + descriptor} to bytes), read from the Code attributes
     * of the class file itself.
     */
    static Map<String, Integer> codeLengths(byte[] bytes) {
        ClassReader r = new ClassReader(bytes);
        char[] buf = new char[r.getMaxStringLength()];
        int u = r.header + 6; // access_flags, this_class, super_class
        u += 2 + 2 * r.readUnsignedShort(u); // interfaces
        int fields = r.readUnsignedShort(u);
        u += 2;
        for (int f = 0; f < fields; f++) {
            u += 6;
            int attributes = r.readUnsignedShort(u);
            u += 2;
            for (int a = 0; a < attributes; a++) {
                u += 6 + r.readInt(u + 2);
            }
        }
        int methods = r.readUnsignedShort(u);
        u += 2;
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (int m = 0; m < methods; m++) {
            String name = r.readUTF8(u + 2, buf) + r.readUTF8(u + 4, buf);
            u += 6;
            int attributes = r.readUnsignedShort(u);
            u += 2;
            for (int a = 0; a < attributes; a++) {
                String attribute = r.readUTF8(u, buf);
                int length = r.readInt(u + 2);
                if (attribute.equals("Code")) {
                    lengths.put(name, r.readInt(u + 6 + 4)); // after max_stack and max_locals
                }
                u += 6 + length;
            }
        }
        return lengths;
    }

    private static boolean allowedOutside(MethodInsnNode call) {
        String owner = call.owner;
        if (owner.equals("java/lang/Math") || owner.equals("dev/kiln/runtime/Checks")) {
            return true;
        }
        if (owner.equals("java/lang/System")) {
            return call.name.equals("arraycopy");
        }
        if (owner.equals("dev/kiln/runtime/RunGuard")) {
            // a field read and writes; it allocates only the exception that reports two threads at once
            return call.name.equals("enter") || call.name.equals("exit");
        }
        if (owner.equals("java/util/Arrays")) {
            return call.name.equals("fill");
        }
        if (owner.equals("dev/kiln/runtime/WorkerPool")) {
            // integer arithmetic finding a kernel's pieces and units
            return call.name.equals("pieceBound") || call.name.equals("unitStart");
        }
        if (owner.equals("dev/kiln/runtime/VectorKernels")) {
            // the shared vector kernels: no allocation once C2 has compiled them (AllocationTest, Warmup)
            return call.getOpcode() == Opcodes.INVOKESTATIC;
        }
        if (owner.startsWith("jdk/incubator/vector/")) {
            // the vector backend: C2 keeps these values in registers (the JMH gc profiler checks 0 B/op)
            return true;
        }
        return owner.startsWith("dev/kiln/ops/") && owner.indexOf('/', "dev/kiln/ops/".length()) < 0
                && call.getOpcode() == Opcodes.INVOKESTATIC;
    }

    private static boolean allocates(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return op == Opcodes.NEW || op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY;
    }

    private static String opcodeName(int op) {
        return switch (op) {
            case Opcodes.NEW -> "NEW";
            case Opcodes.NEWARRAY -> "NEWARRAY";
            case Opcodes.ANEWARRAY -> "ANEWARRAY";
            default -> "MULTIANEWARRAY";
        };
    }

    /**
     * Walks the methods of {@code cn} reachable from {@code root} through calls within the class, failing
     * on an allocation, an invokedynamic or a call outside the allowlist; the ops' static helpers called
     * are checked not to allocate either. Returns the methods reached.
     */
    static Set<String> checkReachable(ClassNode cn, String root) {
        Map<String, MethodNode> methods = new HashMap<>();
        for (MethodNode m : cn.methods) {
            methods.put(m.name + m.desc, m);
        }
        assertNotNull(methods.get(root), "no method " + root);
        Set<String> seen = new LinkedHashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            String key = todo.pop();
            if (!seen.add(key)) {
                continue;
            }
            MethodNode m = methods.get(key);
            assertNotNull(m, "call of a missing method " + key);
            for (AbstractInsnNode insn : m.instructions) {
                if (allocates(insn)) {
                    fail(cn.name + "." + key + " allocates: " + opcodeName(insn.getOpcode()));
                }
                if (insn instanceof InvokeDynamicInsnNode indy) {
                    fail(cn.name + "." + key + " uses invokedynamic " + indy.name);
                }
                if (insn instanceof MethodInsnNode call) {
                    if (call.owner.equals(cn.name)) {
                        todo.push(call.name + call.desc);
                    } else if (!allowedOutside(call)) {
                        fail(cn.name + "." + key + " calls " + call.owner + "." + call.name + call.desc);
                    } else if (call.owner.startsWith("dev/kiln/ops/")) {
                        checkHelper(call);
                    }
                }
            }
        }
        return seen;
    }

    /** The helpers {@link #checkHelper} has passed, so a big class's thousands of calls read each once. */
    private static final Set<String> CHECKED_HELPERS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** An op's static helper: allocates nothing and calls only Math (and Float's bits, an intrinsic). */
    private static void checkHelper(MethodInsnNode call) {
        if (CHECKED_HELPERS.contains(call.owner + "." + call.name + call.desc)) {
            return;
        }
        ClassNode helper;
        try (InputStream in = GeneratedClassTest.class.getClassLoader().getResourceAsStream(call.owner + ".class")) {
            assertNotNull(in, "no class file for " + call.owner);
            helper = classNode(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MethodNode m = helper.methods.stream().filter(x -> x.name.equals(call.name) && x.desc.equals(call.desc))
                .findFirst().orElseThrow(() -> new AssertionError("no method " + call.owner + "." + call.name + call.desc));
        assertTrue((m.access & Opcodes.ACC_STATIC) != 0 && (m.access & Opcodes.ACC_PUBLIC) != 0,
                call.owner + "." + call.name + " must be public static");
        for (AbstractInsnNode insn : m.instructions) {
            assertFalse(allocates(insn), call.owner + "." + call.name + " allocates");
            if (insn instanceof MethodInsnNode inner) {
                assertTrue(inner.owner.equals("java/lang/Math") || inner.owner.equals("java/lang/StrictMath")
                        || inner.owner.equals("java/lang/Float") && inner.name.equals("floatToIntBits"),
                        call.owner + "." + call.name + " calls " + inner.owner + "." + inner.name);
            }
        }
        CHECKED_HELPERS.add(call.owner + "." + call.name + call.desc);
    }
}
