package dev.kiln.opt;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ops.Elementwise;
import dev.kiln.ops.ElementwiseUpdate;
import dev.kiln.ops.FusedElementwise;
import dev.kiln.ops.ScalarExpr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fold-updates}: assignments of elementwise values to variables become in-place updates, and those
 * whose values read each other's become one: Adam's {@code m ← f(m, g)}, {@code v ← f(v, g)} and
 * {@code w ← f(w, m', v', α)} are one {@code update} node, one pass over the elements reading the gradient
 * once, with no buffer for the new values and no copy at the end of the run. Guards: each value is one
 * elementwise loop ({@code fused} or a single elementwise op) of the variable's shape, read only by its
 * assignment and by the other values of its group, and not fetched; every other operand has the variables'
 * shape or is a scalar (a broadcast operand is left to the loops it is in). Folds nothing when the updates
 * would read each other's variables in a cycle ({@link UpdateOrder}). Runs after {@code fuse-elementwise},
 * which makes the loops, and before {@code fuse-matmul}, which would take the first loop of a product's
 * gradient into the product's epilogue.
 */
public final class FoldUpdates implements Pass {
    @Override
    public String name() {
        return "fold-updates";
    }

    @Override
    public boolean fuses() {
        return true;
    }

    @Override
    public Program run(Program p) {
        Map<Node, List<Node>> groups = groups(p); // last assign of a group -> the group's assigns, in value order
        if (groups.isEmpty()) {
            return p;
        }
        Map<Node, Node> member = new IdentityHashMap<>(); // every assign of a group -> its group's last assign
        groups.forEach((last, group) -> group.forEach(a -> member.put(a, last)));
        Program folded = Rewriter.rewrite(p, (n, in, cx) -> {
            Node last = member.get(n);
            if (last == null) {
                return null;
            }
            // an earlier assign of a group becomes its variable, no longer a side effect: dropped from the targets below
            return n == last ? update(groups.get(last), cx) : in.get(0);
        });
        List<Node> targets = new ArrayList<>();
        for (Node t : folded.targets()) {
            if (t.op().hasSideEffect() && !targets.contains(t)) {
                targets.add(t);
            }
        }
        return UpdateOrder.unlessCyclic(p, Rewriter.prune(new Program(folded.graph(), folded.fetches(), targets)));
    }

    /** The groups of assignments to fold, each keyed by its last assignment in graph order. */
    private static Map<Node, List<Node>> groups(Program p) {
        Graph g = p.graph();
        BitSet live = Rewriter.live(p);
        Map<Node, Node> assignOf = new IdentityHashMap<>(); // candidate value -> its assign
        for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
            Node a = g.nodes().get(i);
            if (a.op().storage() == Op.Storage.ASSIGN && !p.fetches().contains(a) && foldable(a, p)) {
                assignOf.put(a.input(1), a);
            }
        }
        for (boolean dropped = true; dropped; ) { // a value read by anything but its assign and other values stays
            dropped = false;
            for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
                Node reader = g.nodes().get(i);
                for (Node in : reader.inputs()) {
                    if (assignOf.containsKey(in) && assignOf.get(in) != reader && !assignOf.containsKey(reader)) {
                        assignOf.remove(in);
                        dropped = true;
                    }
                }
            }
        }
        Map<Node, Node> root = new IdentityHashMap<>(); // union-find over values
        for (Node v : assignOf.keySet()) {
            for (Node in : v.inputs()) {
                if (assignOf.containsKey(in)) {
                    root.put(find(root, in), find(root, v));
                }
            }
        }
        Map<Node, List<Node>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) { // graph order: a value after the values it reads
            Node v = g.nodes().get(i);
            if (assignOf.containsKey(v)) {
                byRoot.computeIfAbsent(find(root, v), k -> new ArrayList<>()).add(assignOf.get(v));
            }
        }
        Map<Node, List<Node>> groups = new IdentityHashMap<>();
        for (List<Node> group : byRoot.values()) {
            Node last = group.stream().max(java.util.Comparator.comparingInt(Node::id)).orElseThrow();
            groups.put(last, group);
        }
        return groups;
    }

    private static Node find(Map<Node, Node> root, Node v) {
        Node r = v;
        while (root.containsKey(r) && root.get(r) != r) {
            r = root.get(r);
        }
        return r;
    }

    /** An assignment of one elementwise loop of the variable's shape, whose operands have that shape or none. */
    private static boolean foldable(Node a, Program p) {
        Node v = a.input(1);
        if (!(v.op() instanceof FusedElementwise || v.op() instanceof Elementwise) || !v.shape().equals(a.input(0).shape())
                || p.fetches().contains(v)) {
            return false;
        }
        for (Node in : v.inputs()) {
            if (!in.shape().equals(v.shape()) && in.shape().rank() != 0) {
                return false;
            }
        }
        return true;
    }

    /** The update node of {@code group}'s assignments, over the new graph's nodes. */
    private static Node update(List<Node> group, Rewriter.Context cx) {
        List<Node> states = new ArrayList<>();
        Map<Node, Integer> valueIndex = new IdentityHashMap<>();
        for (Node a : group) {
            valueIndex.put(a.input(1), states.size());
            states.add(a.input(0));
        }
        List<Node> inputs = new ArrayList<>(states);
        for (Node a : group) {
            for (Node in : a.input(1).inputs()) {
                if (!valueIndex.containsKey(in) && !inputs.contains(in)) {
                    inputs.add(in);
                }
            }
        }
        int arity = inputs.size();
        List<ScalarExpr> values = new ArrayList<>();
        for (Node a : group) {
            Node v = a.input(1);
            ScalarExpr body = v.op() instanceof FusedElementwise f ? f.expr() : applied((Elementwise) v.op(), v.inputs().size());
            int[] remap = new int[v.inputs().size()];
            for (int i = 0; i < remap.length; i++) {
                Node in = v.input(i);
                remap[i] = valueIndex.containsKey(in) ? arity + valueIndex.get(in) : inputs.indexOf(in);
            }
            values.add(renumbered(body, remap));
        }
        Node[] rebuilt = inputs.stream().map(cx::rebuilt).toArray(Node[]::new);
        return cx.add(new ElementwiseUpdate(values, states.size(), arity), rebuilt);
    }

    private static ScalarExpr applied(Elementwise op, int arity) {
        List<ScalarExpr> args = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            args.add(new ScalarExpr.Arg(i));
        }
        return new ScalarExpr.Apply(op, args);
    }

    /** {@code e} with argument i read as argument {@code remap[i]}. */
    static ScalarExpr renumbered(ScalarExpr e, int[] remap) {
        if (e instanceof ScalarExpr.Arg a) {
            return new ScalarExpr.Arg(remap[a.index()]);
        }
        if (e instanceof ScalarExpr.Apply ap) {
            return new ScalarExpr.Apply(ap.op(), ap.args().stream().map(x -> renumbered(x, remap)).toList());
        }
        return e;
    }
}
