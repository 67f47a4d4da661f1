package dev.kiln.ir;

/** Writes a graph in Graphviz DOT: a box per node labelled with its op, name and shape; an edge per input. */
public final class DotPrinter {
    private DotPrinter() {}

    public static String print(Graph g) {
        StringBuilder b = new StringBuilder("digraph kiln {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
        for (Node n : g.nodes()) {
            String name = g.nameOf(n);
            String label = n.ref() + " " + n.op().name() + (name != null ? "\\n" + name : "") + "\\n"
                    + n.dtype().shortName() + n.shape();
            String style = n.op().hasSideEffect() ? ", style=bold" : n.op().isSource() ? ", style=rounded" : "";
            b.append("  n").append(n.id()).append(" [label=\"").append(label.replace("\"", "\\\"")).append('"')
                    .append(style).append("];\n");
            for (Node in : n.inputs()) {
                b.append("  n").append(in.id()).append(" -> n").append(n.id()).append(";\n");
            }
        }
        return b.append("}\n").toString();
    }
}
