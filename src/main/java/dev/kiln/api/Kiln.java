package dev.kiln.api;

import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import java.util.ArrayList;
import java.util.List;

/** The entry point: makes sessions that run graphs. */
public final class Kiln {
    private Kiln() {}

    /**
     * A session running {@code graph} (whose shapes must be bound) that fetches the nodes named in
     * {@code fetches} and performs {@code targets}, with every variable initialized from its initializer
     * using {@code seed}.
     */
    public static Session session(Graph graph, List<String> fetches, List<Node> targets, Engine engine, long seed) {
        return session(graph, fetches, targets, engine, new Options().seed(seed));
    }

    /** Like {@link #session(Graph, List, List, Engine, long)}, with the seed, passes and dumps from {@code options}. */
    public static Session session(Graph graph, List<String> fetches, List<Node> targets, Engine engine, Options options) {
        long seed = options.seed;
        List<Node> fetchNodes = new ArrayList<>();
        for (String f : fetches) {
            fetchNodes.add(resolve(graph, f));
        }
        return switch (engine) {
            case INTERPRETER -> {
                Interpreter interpreter = new Interpreter(graph);
                interpreter.initialize(seed);
                yield new InterpretedSession(interpreter, fetchNodes, List.copyOf(targets));
            }
            case COMPILED -> new CompiledSession(graph, fetchNodes, List.copyOf(targets), seed, options, null, null);
        };
    }

    /** The node bound to {@code name}, or an error listing the names there are. */
    public static Node resolve(Graph graph, String name) {
        Node n = graph.node(name);
        if (n == null) {
            throw new KilnException("no node named '" + name + "' in " + graph.sourceFile()
                    + " (names: " + String.join(", ", graph.names().keySet()) + ")");
        }
        return n;
    }
}
