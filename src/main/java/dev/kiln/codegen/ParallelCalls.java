package dev.kiln.codegen;

import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Step;
import dev.kiln.runtime.WorkerPool;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * What a class whose products share rows between threads has besides the rest: the pool, the feeds kept
 * in fields for the other threads, the call that hands a kernel to the pool, and {@code runPart}, which
 * runs rows {@code from .. to - 1} of kernel {@code id}.
 */
final class ParallelCalls {
    static final String POOL = "pool$"; // '$' never appears in a buffer's name
    private static final String FEED_ARRAY = "feeds$";
    private static final Type FLOATS = Type.getType(float[].class);
    private static final Type FEED_ARRAY_TYPE = Type.getType(float[][].class);
    private static final Type POOL_TYPE = Type.getType(WorkerPool.class);

    private ParallelCalls() {}

    static String feedField(Buffer feed) {
        return "feed$" + feed.name();
    }

    /**
     * The pool, and where the drivers leave the feeds ({@code feeds}: those the kernels read) for the
     * other threads: a field per feed, or one for the feed array when the drivers take one.
     */
    static void declare(ClassWriter cw, List<Buffer> feeds, boolean feedArray) {
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, POOL, POOL_TYPE.getDescriptor(), null, null).visitEnd();
        if (feedArray) {
            cw.visitField(Opcodes.ACC_PRIVATE, FEED_ARRAY, FEED_ARRAY_TYPE.getDescriptor(), null, null).visitEnd();
            return;
        }
        for (Buffer f : feeds) {
            cw.visitField(Opcodes.ACC_PRIVATE, feedField(f), FLOATS.getDescriptor(), null, null).visitEnd();
        }
    }

    /** At the start of a driver: {@code this.feed$x = x} for every feed, or {@code this.feeds$ = feeds}. */
    static void saveFeeds(GeneratorAdapter g, Type owner, List<Buffer> feeds, boolean feedArray) {
        if (feedArray) {
            g.loadThis();
            g.loadArg(0);
            g.putField(owner, FEED_ARRAY, FEED_ARRAY_TYPE);
            return;
        }
        for (Buffer f : feeds) {
            g.loadThis();
            g.loadArg(f.index());
            g.putField(owner, feedField(f), FLOATS);
        }
    }

    /** In {@code runPart}: pushes a feed the driver saved. */
    static void loadSavedFeed(GeneratorAdapter g, Type owner, Buffer feed, boolean feedArray) {
        g.loadThis();
        if (feedArray) {
            g.getField(owner, FEED_ARRAY, FEED_ARRAY_TYPE);
            g.push(feed.index());
            g.arrayLoad(FLOATS);
        } else {
            g.getField(owner, feedField(feed), FLOATS);
        }
    }

    /**
     * {@code this.pool.run(this, id, rows, align)}, or {@code runOwned(this, id, pieces, chunks)}; with
     * {@code begin}, {@code begin} or {@code beginOwned} instead, which return at once, for a {@link #join}.
     */
    static void call(GeneratorAdapter g, Type owner, int id, Lowering.Code code, boolean begin) {
        ProductCuts.Range r = code.range();
        g.loadThis();
        g.getField(owner, POOL, POOL_TYPE);
        g.loadThis();
        g.push(id);
        g.push(r.pieces() > 0 ? r.pieces() : r.rows());
        g.push(r.pieces() > 0 ? r.chunks() : r.align());
        String name = begin ? (r.pieces() > 0 ? "beginOwned" : "begin") : r.pieces() > 0 ? "runOwned" : "run";
        g.invokeVirtual(POOL_TYPE, new Method(name, Type.VOID_TYPE,
                new Type[] {Type.getType(WorkerPool.Parallel.class), Type.INT_TYPE, Type.INT_TYPE, Type.INT_TYPE}));
    }

    /** {@code this.pool.join()}: the caller's share of the run begun, and the wait for the rest. */
    static void join(GeneratorAdapter g, Type owner) {
        g.loadThis();
        g.getField(owner, POOL, POOL_TYPE);
        g.invokeVirtual(POOL_TYPE, new Method("join", "()V"));
    }

    /** Pushes a kernel's array arguments. */
    interface ArgLoader {
        void load(GeneratorAdapter g, Step.Kernel k, boolean fromFields);
    }

    /**
     * {@code public void runPart(int kernel, int from, int to)}: a switch over the shared kernels. With more
     * than {@value #CASES_PER_METHOD} of them (a case is about 30 bytes), it switches over groups instead,
     * each group's switch in a method of its own ({@code runPart_0}, ...), so that every one stays far
     * below HotSpot's 8,000-byte JIT limit.
     */
    static void runPart(ClassWriter cw, Type owner, List<Step.Kernel> kernels, Map<Step.Kernel, Lowering.Code> codes,
            ArgLoader args) {
        if (kernels.size() <= CASES_PER_METHOD) {
            switchOver(cw, owner, "runPart", Opcodes.ACC_PUBLIC, kernels, 0, kernels.size(), codes, args);
            return;
        }
        int groups = (kernels.size() + CASES_PER_METHOD - 1) / CASES_PER_METHOD;
        GeneratorAdapter g = new GeneratorAdapter(Opcodes.ACC_PUBLIC, new Method("runPart", "(III)V"), null, null, cw);
        Label end = g.newLabel();
        Label[] cases = labels(g, groups);
        g.loadArg(0);
        g.push(CASES_PER_METHOD);
        g.math(GeneratorAdapter.DIV, Type.INT_TYPE);
        g.visitTableSwitchInsn(0, groups - 1, end, cases);
        for (int p = 0; p < groups; p++) {
            g.mark(cases[p]);
            g.loadThis();
            g.loadArgs();
            g.invokeVirtual(owner, new Method("runPart_" + p, "(III)V"));
            g.goTo(end);
        }
        g.mark(end);
        g.returnValue();
        g.endMethod();
        for (int p = 0; p < groups; p++) {
            switchOver(cw, owner, "runPart_" + p, Opcodes.ACC_PRIVATE, kernels, p * CASES_PER_METHOD,
                    Math.min(kernels.size(), (p + 1) * CASES_PER_METHOD), codes, args);
        }
    }

    /**
     * {@code public void whileWaiting(int kernel)}: for each shared kernel in {@code claims}, fills with
     * zeros the arrays its caller may take while it waits ({@link Overlap#claims}). Absent when there are
     * none; a few cases, each an {@code Arrays.fill} per array.
     */
    static void whileWaiting(ClassWriter cw, Type owner, Map<Integer, List<Buffer>> claims) {
        if (claims.isEmpty()) {
            return;
        }
        GeneratorAdapter g = new GeneratorAdapter(Opcodes.ACC_PUBLIC, new Method("whileWaiting", "(I)V"), null, null, cw);
        int[] keys = claims.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        Label done = g.newLabel();
        Label[] cases = labels(g, keys.length);
        g.loadArg(0);
        g.visitLookupSwitchInsn(done, keys, cases);
        for (int c = 0; c < keys.length; c++) {
            g.mark(cases[c]);
            for (Buffer b : claims.get(keys[c])) {
                g.loadThis();
                g.getField(owner, b.name(), FLOATS);
                g.push(0f);
                g.invokeStatic(Type.getType(java.util.Arrays.class), new Method("fill", "([FF)V"));
            }
            g.goTo(done);
        }
        g.mark(done);
        g.returnValue();
        g.endMethod();
    }

    /** Shared kernels per {@code runPart} method. */
    static final int CASES_PER_METHOD = 100;

    /** A method {@code (int kernel, int from, int to)} running rows of kernels {@code first .. end - 1}. */
    private static void switchOver(ClassWriter cw, Type owner, String name, int access, List<Step.Kernel> kernels,
            int first, int end, Map<Step.Kernel, Lowering.Code> codes, ArgLoader args) {
        GeneratorAdapter g = new GeneratorAdapter(access, new Method(name, "(III)V"), null, null, cw);
        Label done = g.newLabel();
        Label[] cases = labels(g, end - first);
        g.loadArg(0);
        g.visitTableSwitchInsn(first, end - 1, done, cases);
        for (int i = first; i < end; i++) {
            g.mark(cases[i - first]);
            Step.Kernel k = kernels.get(i);
            args.load(g, k, true);
            g.loadArg(1);
            g.loadArg(2);
            g.invokeStatic(owner, ClassGenerator.kernelMethod(k, codes.get(k)));
            g.goTo(done);
        }
        g.mark(done);
        g.returnValue();
        g.endMethod();
    }

    private static Label[] labels(GeneratorAdapter g, int n) {
        Label[] labels = new Label[n];
        for (int i = 0; i < n; i++) {
            labels[i] = g.newLabel();
        }
        return labels;
    }

    /** The feeds the kernels read, in the order they are first read. */
    static List<Buffer> feeds(Plan plan) {
        java.util.Set<Buffer> feeds = new java.util.LinkedHashSet<>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                for (Buffer b : k.inputs()) {
                    if (b != null && b.kind() == Buffer.Kind.FEED) {
                        feeds.add(b);
                    }
                }
            }
        }
        return List.copyOf(feeds);
    }
}
