package dev.kiln.testing;

import dev.kiln.dsl.Tf;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs what a {@link Tf} built with the reference interpreter. */
public final class Eval {
    private Eval() {}

    /** The value of {@code node}: the graph built so far, variables from their initializers (seed 0). */
    public static Tensor eval(Tf tf, Node node) {
        return eval(tf, node, Map.of());
    }

    public static Tensor eval(Tf tf, Node node, Map<String, Tensor> feeds) {
        return evalAll(tf, feeds, node).get(0);
    }

    public static List<Tensor> evalAll(Tf tf, Map<String, Tensor> feeds, Node... nodes) {
        Graph g = tf.build();
        Interpreter in = new Interpreter(g);
        in.initialize(0);
        return in.run(feeds, Arrays.asList(nodes), List.of());
    }

    /** The graph built so far, and an interpreter for it with variables initialized (seed 0). */
    public static Interpreter interpreter(Tf tf) {
        Interpreter in = new Interpreter(tf.build());
        in.initialize(0);
        return in;
    }
}
