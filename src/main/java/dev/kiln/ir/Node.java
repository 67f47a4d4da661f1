package dev.kiln.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One value in a graph: an op applied to input nodes. Immutable; its shape is computed when it is built,
 * so a shape error surfaces where the node is made. Nodes compare by identity; {@link #id} is unique
 * within a graph and increases in topological order.
 */
public final class Node {
    private final int id;
    private final Op op;
    private final List<Node> inputs;
    private final Shape shape;
    private final DType dtype;
    private final String name;
    private final SourcePos pos;

    Node(int id, Op op, List<Node> inputs, Shape shape, DType dtype, String name, SourcePos pos) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.shape = shape;
        this.dtype = dtype;
        this.name = name;
        this.pos = pos;
    }

    public int id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public Node input(int i) {
        return inputs.get(i);
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    /** The name given when the node was built (placeholders and variables always have one), or null. */
    public String name() {
        return name;
    }

    public SourcePos pos() {
        return pos;
    }

    /** {@code %7}. */
    public String ref() {
        return "%" + id;
    }

    /** How messages name this node: its name if it has one, else its op and id, with its shape. */
    public String describe() {
        String who = name != null ? "'" + name + "'" : op.name() + " " + ref();
        return who + " " + dtype.shortName() + shape;
    }

    @Override
    public String toString() {
        return ref() + " " + dtype.shortName() + shape + " = " + op.name() + " "
                + inputs.stream().map(Node::ref).collect(Collectors.joining(", "));
    }
}
