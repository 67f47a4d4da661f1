package dev.kiln.codegen;

import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Step;
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
    private static final Type FLOATS = Type.getType(float[].class);
    private static final Type POOL_TYPE = Type.getType(WorkerPool.class);

    private ParallelCalls() {}

    static String feedField(Buffer feed) {
        return "feed$" + feed.name();
    }

    static void declare(ClassWriter cw, Plan plan) {
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, POOL, POOL_TYPE.getDescriptor(), null, null).visitEnd();
        for (Buffer f : feedBuffers(plan)) {
            cw.visitField(Opcodes.ACC_PRIVATE, feedField(f), FLOATS.getDescriptor(), null, null).visitEnd();
        }
    }

    /** At the start of a driver: {@code this.feed_x = x} for every feed; {@code loadFeed} pushes a feed. */
    static void saveFeeds(GeneratorAdapter g, Type owner, Plan plan, java.util.function.Consumer<Buffer> loadFeed) {
        for (Buffer f : feedBuffers(plan)) {
            g.loadThis();
            loadFeed.accept(f);
            g.putField(owner, feedField(f), FLOATS);
        }
    }

    /** {@code this.pool.run(this, id, rows, align)}. */
    static void call(GeneratorAdapter g, Type owner, int id, Lowering.Code code) {
        g.loadThis();
        g.getField(owner, POOL, POOL_TYPE);
        g.loadThis();
        g.push(id);
        g.push(code.parallelRows());
        g.push(code.align());
        g.invokeVirtual(POOL_TYPE, new Method("run", Type.VOID_TYPE,
                new Type[] {Type.getType(WorkerPool.Parallel.class), Type.INT_TYPE, Type.INT_TYPE, Type.INT_TYPE}));
    }

    /** Pushes a kernel's array arguments. */
    interface ArgLoader {
        void load(GeneratorAdapter g, Step.Kernel k, boolean fromFields);
    }

    /** {@code public void runPart(int kernel, int from, int to)}: a switch over the shared kernels. */
    static void runPart(ClassWriter cw, Type owner, List<Step.Kernel> kernels, Map<Step.Kernel, Lowering.Code> codes,
            ArgLoader args) {
        GeneratorAdapter g = new GeneratorAdapter(Opcodes.ACC_PUBLIC, new Method("runPart", "(III)V"), null, null, cw);
        Label end = g.newLabel();
        Label[] cases = new Label[kernels.size()];
        for (int i = 0; i < cases.length; i++) {
            cases[i] = g.newLabel();
        }
        g.loadArg(0);
        g.visitTableSwitchInsn(0, cases.length - 1, end, cases);
        for (int i = 0; i < cases.length; i++) {
            g.mark(cases[i]);
            Step.Kernel k = kernels.get(i);
            args.load(g, k, true);
            g.loadArg(1);
            g.loadArg(2);
            g.invokeStatic(owner, ClassGenerator.kernelMethod(k, codes.get(k)));
            g.goTo(end);
        }
        g.mark(end);
        g.returnValue();
        g.endMethod();
    }

    private static List<Buffer> feedBuffers(Plan plan) {
        java.util.ArrayList<Buffer> feeds = new java.util.ArrayList<>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                for (Buffer b : k.inputs()) {
                    if (b != null && b.kind() == Buffer.Kind.FEED && !feeds.contains(b)) {
                        feeds.add(b);
                    }
                }
            }
        }
        return feeds;
    }
}
