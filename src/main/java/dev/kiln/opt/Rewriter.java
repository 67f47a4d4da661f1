package dev.kiln.opt;

import dev.kiln.ir.Graph;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ops.Ops;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a program node by node in topological order, offering each node (with its inputs already
 * rebuilt) to a local rule, and repeats until no rule fires. Only nodes the roots need are rebuilt, and
 * equal ops on equal inputs become one node (hash-consing), so every rewrite also eliminates dead code
 * and common subexpressions. A rewrite that changes nothing returns the very same program.
 */
public final class Rewriter {
    /** Upper bound on sweeps, in case rules undo each other. */
    private static final int MAX_SWEEPS = 32;

    /** A local rewrite: a replacement for {@code node} (whose rebuilt inputs are {@code inputs}), or null. */
    @FunctionalInterface
    public interface Rule {
        Node apply(Node node, List<Node> inputs, Context cx);
    }

    /** What a rule may use: the new graph's builder and facts about the old graph. */
    public static final class Context {
        private final GraphBuilder b;
        private final Ops ops;
        private final Map<Key, Node> interned;
        private final int[] uses; // by old node id
        private final java.util.Set<Node> fetched;
        private final Node[] rebuilt;

        Context(GraphBuilder b, Map<Key, Node> interned, int[] uses, java.util.Set<Node> fetched, Node[] rebuilt) {
            this.b = b;
            this.ops = new Ops(b);
            this.interned = interned;
            this.uses = uses;
            this.fetched = fetched;
            this.rebuilt = rebuilt;
        }

        /** The new graph's node for {@code oldNode}, one the sweep has already passed (an input's input). */
        public Node rebuilt(Node oldNode) {
            Node n = rebuilt[oldNode.id()];
            if (n == null) {
                throw new IllegalStateException(oldNode + " is not rebuilt yet");
            }
            return n;
        }

        /** Builds nodes in the new graph (attributed to the node being rewritten). */
        public Ops ops() {
            return ops;
        }

        /** Adds a node to the new graph, reusing an equal one if it exists. */
        public Node add(Op op, Node... inputs) {
            return intern(b, interned, op, List.of(inputs), null);
        }

        /** The existing node {@code op(inputs)} in the new graph, or null. */
        public Node find(Op op, Node... inputs) {
            return interned.get(Key.of(op, List.of(inputs)));
        }

        /** How many distinct nodes of the old graph read {@code oldNode}, counting a fetch as a reader. */
        public int uses(Node oldNode) {
            return uses[oldNode.id()] + (fetched.contains(oldNode) ? 1 : 0);
        }

        public GraphBuilder builder() {
            return b;
        }
    }

    private record Key(Op op, List<Integer> inputs) {
        static Key of(Op op, List<Node> ins) {
            return new Key(op, ins.stream().map(Node::id).toList());
        }
    }

    private Rewriter() {}

    /** Applies {@code rule} to a fixed point. */
    public static Program rewrite(Program p, Rule rule) {
        Program current = p;
        for (int i = 0; i < MAX_SWEEPS; i++) {
            Program next = sweep(current, rule);
            if (next == current) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** One pass over the program; returns {@code p} itself when nothing changed. */
    static Program sweep(Program p, Rule rule) {
        Graph g = p.graph();
        BitSet live = live(p);
        int[] uses = new int[g.nodes().size()];
        for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
            List<Node> ins = g.nodes().get(i).inputs();
            for (int k = 0; k < ins.size(); k++) {
                if (ins.indexOf(ins.get(k)) == k) { // count each reader once
                    uses[ins.get(k).id()]++;
                }
            }
        }
        java.util.Set<Node> fetched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        fetched.addAll(p.fetches());
        GraphBuilder b = new GraphBuilder(g.sourceFile());
        Map<Key, Node> interned = new HashMap<>();
        Node[] map = new Node[g.nodes().size()]; // old node id -> new node
        Context cx = new Context(b, interned, uses, fetched, map);
        boolean changed = live.cardinality() != g.nodes().size();
        for (int i = live.nextSetBit(0); i >= 0; i = live.nextSetBit(i + 1)) {
            Node n = g.nodes().get(i);
            List<Node> ins = new ArrayList<>(n.inputs().size());
            for (Node in : n.inputs()) {
                ins.add(map[in.id()]);
            }
            final Node original = n;
            b.setPosition(original::pos);
            Node replaced = rule == null ? null : rule.apply(n, ins, cx);
            if (replaced != null) {
                if (!replaced.shape().equals(n.shape())) {
                    throw new IllegalStateException("a rewrite changed the shape of " + n + " from " + n.shape()
                            + " to " + replaced.shape());
                }
                changed = true;
                map[i] = replaced;
                continue;
            }
            int before = b.size();
            Node copy = intern(b, interned, n.op(), ins, n);
            changed |= b.size() == before; // merged with an equal node
            map[i] = copy;
        }
        if (!changed) {
            return p;
        }
        for (Map.Entry<String, Node> e : g.names().entrySet()) {
            Node m = map[e.getValue().id()];
            if (m != null) {
                b.bindName(e.getKey(), m);
            }
        }
        Program out = new Program(b.build(), p.fetches().stream().map(f -> map[f.id()]).toList(),
                p.targets().stream().map(t -> map[t.id()]).toList());
        return prune(out);
    }

    private static Node intern(GraphBuilder b, Map<Key, Node> interned, Op op, List<Node> ins, Node like) {
        Key key = Key.of(op, ins);
        boolean shareable = !op.isSource() && !op.hasSideEffect();
        if (shareable) {
            Node existing = interned.get(key);
            if (existing != null) {
                return existing;
            }
        }
        Node n = like == null ? b.add(op, null, b.currentPosition(), ins) : b.add(op, like.name(), like.pos(), ins);
        if (shareable) {
            interned.put(key, n);
        }
        return n;
    }

    /** The nodes the roots need. */
    static BitSet live(Program p) {
        return dev.kiln.ir.Reachability.ancestors(p.roots());
    }

    /** The program without the nodes its roots do not need; the same program when there are none. */
    public static Program prune(Program p) {
        BitSet live = live(p);
        if (live.cardinality() == p.graph().nodes().size()) {
            return p;
        }
        return sweep(p, null);
    }
}
