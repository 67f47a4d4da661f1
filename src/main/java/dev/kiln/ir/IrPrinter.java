package dev.kiln.ir;

import java.util.stream.Collectors;

/**
 * Prints a graph one stable line per node:
 * <pre>%7 f32[64,10] = matmul %3, %5 transpose_b=true   # y_pred  two_layer.kiln:14</pre>
 * The comment gives the node's name (when it has one) and the line that built it. Used by
 * {@code kiln ir}, by dumps and by golden tests.
 */
public final class IrPrinter {
    private IrPrinter() {}

    public static String print(Graph g) {
        StringBuilder b = new StringBuilder();
        for (Node n : g.nodes()) {
            b.append(line(g, n)).append('\n');
        }
        return b.toString();
    }

    public static String line(Graph g, Node n) {
        StringBuilder b = new StringBuilder();
        b.append(n.ref()).append(' ').append(n.dtype().shortName()).append(n.shape())
                .append(" = ").append(n.op().name());
        String ins = n.inputs().stream().map(Node::ref).collect(Collectors.joining(", "));
        if (!ins.isEmpty()) {
            b.append(' ').append(ins);
        }
        String attrs = n.op().attributes();
        if (!attrs.isEmpty()) {
            b.append(' ').append(attrs);
        }
        Node init = g.initializer(n);
        if (init != null) {
            b.append(" init=").append(init.ref());
        }
        String name = g.nameOf(n);
        String where = n.pos() == SourcePos.UNKNOWN ? "" : n.pos().fileAndLine();
        if (name != null || !where.isEmpty()) {
            b.append("   #");
            if (name != null) {
                b.append(' ').append(name);
            }
            if (!where.isEmpty()) {
                b.append(name != null ? "  " : " ").append(where);
            }
        }
        return b.toString();
    }
}
