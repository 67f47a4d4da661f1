package dev.kiln.codegen;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Op;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Planner;
import dev.kiln.plan.Step;
import dev.kiln.runtime.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * The calls check-numerics adds to the drivers: when the run starts, {@link Checks#source} of every feed,
 * variable and constant the run reads, in node order; after each kernel, {@link Checks#output} of what it
 * wrote. A class generated without check-numerics has none of them.
 */
final class NumericsCalls {
    /** Bytecode of one call, estimated (an array, an int and five constants, the call), for cutting the drivers. */
    static final int BYTES = 24;
    /** The descriptor of the arguments naming the node: description, shape, file, line, column. */
    private static final String NAMES = "Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;II";

    private NumericsCalls() {}

    /**
     * A value a run reads that none of its kernels writes: the array {@code buffer}, or, when that is null,
     * a scalar constant written into the kernels that use it (listed only when it is not finite, as no array
     * holds it to check at run time).
     */
    record Source(Node node, Buffer buffer) {}

    /** The sources of a run, in node order. */
    static List<Source> sources(Plan plan) {
        Map<Object, Source> read = new LinkedHashMap<>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                for (int i = 0; i < k.inputs().size(); i++) {
                    Node in = k.node().input(i);
                    Buffer b = k.inputs().get(i);
                    if (k.node().op().inputUse(k.node(), i) == Op.InputUse.INLINED
                            && !Float.isFinite(in.op().uniformValue())) {
                        read.putIfAbsent(in, new Source(in, null)); // inlined by the kernel: see Lowering
                    } else {
                        add(read, b, in);
                    }
                }
            } else {
                Step.Copy c = (Step.Copy) s;
                add(read, c.from(), c.node());
            }
        }
        List<Source> sorted = new ArrayList<>(read.values());
        sorted.sort(Comparator.comparingInt(src -> src.node().id()));
        return sorted;
    }

    private static void add(Map<Object, Source> read, Buffer b, Node n) {
        if (b == null || b.kind() == Buffer.Kind.SCRATCH) {
            return;
        }
        while (Planner.isAlias(n)) {
            n = n.input(0);
        }
        read.putIfAbsent(b, new Source(n, b));
    }

    /** {@code Checks.source(...)} of {@code s} ({@code Checks.constant(...)} for an inlined constant); {@code load} pushes a buffer. */
    static void source(GeneratorAdapter g, Graph graph, Source s, Consumer<Buffer> load) {
        if (s.buffer() == null) {
            g.push(s.node().op().uniformValue());
            names(g, graph, s.node());
            g.invokeStatic(Type.getType(Checks.class), new Method("constant", "(F" + NAMES + ")V"));
            return;
        }
        load.accept(s.buffer());
        g.push(s.node().shape().size());
        names(g, graph, s.node());
        g.invokeStatic(Type.getType(Checks.class), new Method("source", "([FI" + NAMES + ")V"));
    }

    /** {@code Checks.output(...)} of kernel {@code k}'s output. */
    static void output(GeneratorAdapter g, Graph graph, Step.Kernel k, Consumer<Buffer> load) {
        load.accept(k.output());
        g.push(k.node().shape().size());
        names(g, graph, k.node());
        g.invokeStatic(Type.getType(Checks.class), new Method("output", "([FI" + NAMES + ")V"));
    }

    /** Pushes what names the node: its description, its shape and its position. */
    private static void names(GeneratorAdapter g, Graph graph, Node n) {
        g.push(NumericsException.describe(graph, n));
        g.push(n.shape().toString());
        g.push(n.pos().file());
        g.push(n.pos().line());
        g.push(n.pos().column());
    }
}
