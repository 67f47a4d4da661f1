package dev.kiln.opt;

import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * What the optimizer and the backend work on: a bound graph and the nodes one run must produce, its
 * fetches (values returned) and targets (side effects performed). Passes map programs to programs.
 */
public record Program(Graph graph, List<Node> fetches, List<Node> targets) {
    public Program {
        fetches = List.copyOf(fetches);
        targets = List.copyOf(targets);
        for (Node n : fetches) {
            check(graph, n);
        }
        for (Node n : targets) {
            check(graph, n);
        }
    }

    private static void check(Graph g, Node n) {
        if (n.id() >= g.nodes().size() || g.nodes().get(n.id()) != n) {
            throw new KilnException("node " + n + " is not part of the graph");
        }
    }

    /** The fetches followed by the targets: what the run must compute. */
    public List<Node> roots() {
        List<Node> r = new java.util.ArrayList<>(fetches);
        r.addAll(targets);
        return r;
    }

    /** The listing of the graph, one node per line, then the roots. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(graph.toString());
        b.append("fetch");
        for (Node f : fetches) {
            b.append(' ').append(f.ref());
        }
        b.append("\ntarget");
        for (Node t : targets) {
            b.append(' ').append(t.ref());
        }
        return b.append('\n').toString();
    }
}
