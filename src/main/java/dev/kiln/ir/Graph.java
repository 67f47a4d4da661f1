package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable graph: nodes in topological order, the names a program bound to them, and the
 * initializer of each variable. Placeholders and variables are named by the node's own name; any
 * other name refers to whatever node the program last bound it to. Safe to share between threads (so long
 * as nobody changes the array of a {@link Tensor} given to a constant or variable, which is not copied).
 */
public final class Graph {
    private final String sourceFile;
    private final List<Node> nodes;
    private final Map<String, Node> names;
    private final Map<Node, Node> initializers;
    private final Map<Node, String> nameOf = new IdentityHashMap<>();

    Graph(String sourceFile, List<Node> nodes, Map<String, Node> names, Map<Node, Node> initializers) {
        this.sourceFile = sourceFile;
        this.nodes = List.copyOf(nodes);
        this.names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        for (Map.Entry<String, Node> e : this.names.entrySet()) {
            nameOf.putIfAbsent(e.getValue(), e.getKey());
        }
        for (Node n : this.nodes) {
            if (n.name() != null) {
                nameOf.put(n, n.name());
            }
        }
    }

    public String sourceFile() {
        return sourceFile;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The names bound by the program, in the order they were first bound. */
    public Map<String, Node> names() {
        return names;
    }

    /** The node bound to {@code name}, or null. */
    public Node node(String name) {
        return names.get(name);
    }

    /** The name a person would use for {@code node}: its own, else the first name bound to it, else null. */
    public String nameOf(Node node) {
        return nameOf.get(node);
    }

    /** The initializer of {@code variable}, or null when none was given. */
    public Node initializer(Node variable) {
        return initializers.get(variable);
    }

    public Map<Node, Node> initializers() {
        return initializers;
    }

    public List<Node> placeholders() {
        return nodes.stream().filter(n -> n.op().name().equals("placeholder")).toList();
    }

    public List<Node> variables() {
        return nodes.stream().filter(n -> n.op().name().equals("variable")).toList();
    }

    /** Every node with a side effect (the assigns), in program order. */
    public List<Node> sideEffects() {
        return nodes.stream().filter(n -> n.op().hasSideEffect()).toList();
    }

    /** True when every node's shape is known. */
    public boolean isBound() {
        return nodes.stream().allMatch(n -> n.shape().isKnown());
    }

    /**
     * A copy of this graph with every unknown ({@code None}) dimension bound to {@code batch}; every
     * shape is computed again, so a program that only works for some sizes fails here with its position.
     */
    public Graph bind(int batch) {
        if (batch < 1) {
            throw new KilnException("batch size must be at least 1, got " + batch);
        }
        GraphBuilder b = new GraphBuilder(sourceFile);
        Map<Node, Node> map = new IdentityHashMap<>();
        for (Node n : nodes) {
            List<Node> ins = new ArrayList<>(n.inputs().size());
            for (Node in : n.inputs()) {
                ins.add(map.get(in));
            }
            map.put(n, b.add(n.op().bind(batch), n.name(), n.pos(), ins));
        }
        for (Map.Entry<String, Node> e : names.entrySet()) {
            b.bindName(e.getKey(), map.get(e.getValue()));
        }
        for (Map.Entry<Node, Node> e : initializers.entrySet()) {
            b.setInitializer(map.get(e.getKey()), map.get(e.getValue()));
        }
        return b.build();
    }

    /** The listing of the graph, one node per line (see {@link IrPrinter}). */
    @Override
    public String toString() {
        return IrPrinter.print(this);
    }
}
