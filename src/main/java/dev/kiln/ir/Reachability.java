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
        List<Node> stack = new ArrayList<>();
        for (Node r : roots) {
            if (!seen.get(r.id())) {
                seen.set(r.id());
                stack.add(r);
            }
        }
        while (!stack.isEmpty()) {
            List<Node> inputs = stack.remove(stack.size() - 1).inputs();
            for (int i = 0; i < inputs.size(); i++) {
                Node in = inputs.get(i);
                if (!seen.get(in.id())) {
                    seen.set(in.id());
                    stack.add(in);
                }
            }
        }
        return seen;
    }

    /** The ids of {@code root} and of every node it depends on. */
    public static BitSet ancestors(Node root) {
        return ancestors(List.of(root));
    }
}
