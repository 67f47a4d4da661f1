package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The order in which in-place updates (nodes of {@link Op.Storage#UPDATE} storage, their first inputs the
 * variables they write, {@link Op#writes})
 * can run: an update reading another's variable must run before that one writes it. Updates that read
 * each other's variables in a cycle have no such order ({@code w1 -= lr·(dy @ w2ᵀ)} beside
 * {@code w2 -= lr·(w1ᵀ @ dy)}): {@link FoldSgdUpdates} then leaves the assigns as they are, and the
 * planner orders the updates it is given with the same rule.
 */
public final class UpdateOrder {
    private UpdateOrder() {}

    /**
     * {@code updates} ordered so that one reading another's variable runs first (of those free to run,
     * the earliest in the graph); null when they read each other's variables in a cycle.
     */
    public static List<Node> of(List<Node> updates) {
        Map<Node, Integer> updateOf = new IdentityHashMap<>(); // variable -> index of the update writing it
        for (int i = 0; i < updates.size(); i++) {
            for (int j = 0; j < updates.get(i).op().writes(); j++) {
                updateOf.put(updates.get(i).input(j), i);
            }
        }
        List<List<Integer>> before = new ArrayList<>(); // [r]: the updates that must wait for update r
        int[] waitingFor = new int[updates.size()];
        for (int r = 0; r < updates.size(); r++) {
            Set<Integer> writers = new LinkedHashSet<>();
            for (int k = updates.get(r).op().writes(); k < updates.get(r).inputs().size(); k++) {
                Integer w = updateOf.get(unalias(updates.get(r).input(k)));
                if (w != null && w != r) {
                    writers.add(w); // r reads w's variable, so runs first
                }
            }
            before.add(new ArrayList<>(writers));
            for (int w : writers) {
                waitingFor[w]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int u = 0; u < updates.size(); u++) {
            if (waitingFor[u] == 0) {
                ready.add(u);
            }
        }
        List<Node> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            int u = ready.poll();
            out.add(updates.get(u));
            for (int w : before.get(u)) {
                if (--waitingFor[w] == 0) {
                    ready.add(w);
                }
            }
        }
        return out.size() < updates.size() ? null : out;
    }

    /**
     * {@code folded}, the result of a pass that made in-place updates of {@code before}, unless its updates
     * read each other's variables in a cycle: then {@code before}, as no order of them is right.
     */
    static Program unlessCyclic(Program before, Program folded) {
        List<Node> updates = new ArrayList<>();
        for (Node n : folded.graph().nodes()) {
            if (n.op().storage() == Op.Storage.UPDATE) {
                updates.add(n);
            }
        }
        return of(updates) == null ? before : folded;
    }

    /** The node whose array {@code n} is, through any aliases (reshapes of it). */
    static Node unalias(Node n) {
        while (n.op().storage() == Op.Storage.ALIAS) {
            n = n.input(0);
        }
        return n;
    }
}
