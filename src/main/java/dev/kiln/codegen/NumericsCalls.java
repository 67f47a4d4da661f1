package dev.kiln.codegen;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Plan;
import dev.kiln.plan.Planner;
import dev.kiln.plan.Step;
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
 * variable and constant the run reads, in program order; after each kernel, {@link Checks#output} of
 * what it wrote. A class generated without check-numerics has none of them.
 */
final class NumericsCalls {
    /** Bytecode of one call, estimated (an array, an int and five constants, the call), for cutting the drivers. */
    static final int BYTES = 24;
    private static final String DESCRIPTOR = "([FILjava/lang/String;Ljava/lang/String;Ljava/lang/String;II)V";

    private NumericsCalls() {}

    /** The arrays a run reads that no kernel of it writes, each with the node whose value it holds, by node id. */
    static List<Map.Entry<Buffer, Node>> sources(Plan plan) {
        Map<Buffer, Node> read = new LinkedHashMap<>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.Kernel k) {
                for (int i = 0; i < k.inputs().size(); i++) {
                    add(read, k.inputs().get(i), k.node().input(i));
                }
            } else {
                Step.Copy c = (Step.Copy) s;
                add(read, c.from(), c.node());
            }
        }
        List<Map.Entry<Buffer, Node>> sorted = new ArrayList<>(read.entrySet());
        sorted.sort(Comparator.comparingInt(e -> e.getValue().id()));
        return sorted;
    }

    private static void add(Map<Buffer, Node> read, Buffer b, Node n) {
        if (b == null || b.kind() == Buffer.Kind.SCRATCH) {
            return;
        }
        while (Planner.isAlias(n)) {
            n = n.input(0);
        }
        read.putIfAbsent(b, n);
    }

    /** {@code Checks.source(b, ...)} for source {@code n}; {@code load} pushes a buffer. */
    static void source(GeneratorAdapter g, Graph graph, Node n, Buffer b, Consumer<Buffer> load) {
        call(g, graph, n, b, load, "source");
    }

    /** {@code Checks.output(...)} of kernel {@code k}'s output. */
    static void output(GeneratorAdapter g, Graph graph, Step.Kernel k, Consumer<Buffer> load) {
        call(g, graph, k.node(), k.output(), load, "output");
    }

    private static void call(GeneratorAdapter g, Graph graph, Node n, Buffer b, Consumer<Buffer> load, String method) {
        load.accept(b);
        g.push(n.shape().size());
        g.push(NumericsException.describe(graph, n));
        g.push(n.shape().toString());
        g.push(n.pos().file());
        g.push(n.pos().line());
        g.push(n.pos().column());
        g.invokeStatic(Type.getType(Checks.class), new Method(method, DESCRIPTOR));
    }
}
