package dev.kiln.ir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/** Which nodes a set of nodes depends on: what a run must compute, what a gradient passes through. */
public final class Reachability {
    private Reachability() {}

    /** The ids of {@code roots} and of every node they depend on. */
    public static BitSet ancestors(Collection<Node> roots) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.get(n.id())) {
                seen.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return seen;
    }

    /** The ids of {@code root} and of every node it depends on. */
    public static BitSet ancestors(Node root) {
        return ancestors(List.of(root));
    }
}
