package dev.kiln.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds a graph node by node. Every node is checked as it is added: its inputs must belong to this
 * builder and the op's shape rule must accept them, otherwise a {@link KilnException} names the place,
 * the op and the operands with their shapes. Not thread-safe.
 */
public final class GraphBuilder {
    private final String sourceFile;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> names = new LinkedHashMap<>();
    private final Map<Node, Node> initializers = new LinkedHashMap<>();
    private Supplier<SourcePos> position = () -> SourcePos.UNKNOWN;

    /** @param sourceFile the model file the graph comes from, for listings and generated classes */
    public GraphBuilder(String sourceFile) {
        this.sourceFile = sourceFile;
    }

    public String sourceFile() {
        return sourceFile;
    }

    /** Where the nodes added from now on are attributed to. */
    public void setPosition(Supplier<SourcePos> position) {
        this.position = position;
    }

    public SourcePos currentPosition() {
        return position.get();
    }

    /** Adds {@code op} applied to {@code inputs}, with no name, at the current position. */
    public Node add(Op op, Node... inputs) {
        return add(op, null, currentPosition(), java.util.Arrays.asList(inputs)); // List.of would reject a null before add can name it
    }

    /** Adds a node with an explicit name and position. */
    public Node add(Op op, String name, SourcePos pos, List<Node> inputs) {
        if (inputs.size() != op.arity()) {
            throw new KilnException(pos, op.name() + " takes " + op.arity() + " input(s), got " + inputs.size());
        }
        for (Node in : inputs) {
            if (in == null) {
                throw new KilnException(pos, op.name() + ": an operand is null");
            }
            if (!owns(in)) {
                throw new KilnException(pos, op.name() + ": operand " + describe(in)
                        + " belongs to another graph");
            }
        }
        Shape shape;
        DType dtype;
        try {
            dtype = op.dtype(inputs);
            shape = op.shape(inputs);
        } catch (KilnException e) {
            String operands = inputs.stream().map(this::describe).collect(Collectors.joining(", "));
            throw new KilnException(pos, op.name() + (operands.isEmpty() ? "" : "(" + operands + ")")
                    + ": " + e.detail(), e);
        }
        Node n = new Node(nodes.size(), op, inputs, shape, dtype, name, pos);
        nodes.add(n);
        return n;
    }

    /** True when {@code node} was built by this builder. */
    public boolean owns(Node node) {
        return node.id() < nodes.size() && nodes.get(node.id()) == node;
    }

    /** Makes {@code name} refer to {@code node}, as {@code name = ...} does in a script. */
    public void bindName(String name, Node node) {
        names.put(name, node);
    }

    /** The name a person would use for {@code node}: its own, else the first name bound to it, else null. */
    public String nameOf(Node node) {
        if (node.name() != null) {
            return node.name();
        }
        for (Map.Entry<String, Node> e : names.entrySet()) {
            if (e.getValue() == node) {
                return e.getKey();
            }
        }
        return null;
    }

    /** How messages name a node: {@code 'h' f32[64,100]}, or {@code matmul %3 f32[64,100]} when unnamed. */
    public String describe(Node node) {
        String name = nameOf(node);
        return (name != null ? "'" + name + "'" : node.op().name() + " " + node.ref()) + " "
                + node.dtype().shortName() + node.shape();
    }

    public Node lookup(String name) {
        return names.get(name);
    }

    /** Records that variable {@code variable} starts from the value of {@code init}. */
    public void setInitializer(Node variable, Node init) {
        initializers.put(variable, init);
    }

    /** Number of nodes built so far. */
    public int size() {
        return nodes.size();
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** An immutable snapshot of everything built so far. */
    public Graph build() {
        return new Graph(sourceFile, nodes, names, initializers);
    }
}
