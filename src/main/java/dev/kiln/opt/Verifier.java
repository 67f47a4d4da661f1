package dev.kiln.opt;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * The IR's invariants, checked after every pass: nodes in topological order with inputs from the same
 * graph, every recorded shape equal to what the op's shape rule says, assignments only to variables and
 * at most one per variable, roots inside the graph. A violation is a bug in a pass: it is reported with
 * the pass's name.
 */
public final class Verifier {
    private Verifier() {}

    public static void verify(Program p, String after) {
        Graph g = p.graph();
        java.util.BitSet live = Rewriter.live(p);
        Map<String, Node> assigned = new HashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            if (n.id() != i) {
                fail(after, n, "has id " + n.id() + " at position " + i);
            }
            for (Node in : n.inputs()) {
                if (in.id() >= i || g.nodes().get(in.id()) != in) {
                    fail(after, n, "reads " + in.ref() + ", which is not an earlier node of the graph");
                }
            }
            Shape s;
            try {
                s = n.op().shape(n.inputs());
            } catch (RuntimeException e) {
                fail(after, n, "no longer passes its shape rule: " + e.getMessage());
                return;
            }
            if (!s.equals(n.shape())) {
                fail(after, n, "has shape " + n.shape() + " but its shape rule says " + s);
            }
            for (int j = 0; j < n.op().writes(); j++) {
                Node v = n.input(j);
                if (v.op().storage() != Op.Storage.STATE) {
                    fail(after, n, "assigns to " + v.ref() + ", which is not a variable");
                }
                Node other = live.get(n.id()) ? assigned.put(v.name(), n) : null;
                if (other != null) {
                    fail(after, n, "assigns variable '" + v.name() + "' again (also " + other.ref() + ")");
                }
            }
        }
    }

    /**
     * The user's side of the same rule: a run may assign each variable once. Checks the assignments the
     * program's fetches and targets reach, and reports a second one as the user's error.
     */
    public static void checkAssignments(Program p) {
        java.util.BitSet live = Rewriter.live(p);
        Map<String, Node> seen = new HashMap<>();
        for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
            Node n = p.graph().nodes().get(i);
            for (int j = 0; j < n.op().writes(); j++) {
                Node first = seen.putIfAbsent(n.input(j).name(), n);
                if (first != null) {
                    throw new dev.kiln.ir.KilnException(n.pos(), "variable '" + n.input(j).name()
                            + "' is assigned more than once in one run (also at " + first.pos() + ")");
                }
            }
        }
    }

    private static void fail(String after, Node n, String what) {
        throw new IllegalStateException("IR verification failed after pass '" + after + "': " + n + " " + what);
    }
}
