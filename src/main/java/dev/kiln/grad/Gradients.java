package dev.kiln.grad;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Reachability;
import dev.kiln.ops.Ops;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation, as {@code tf.gradients} does it: adds to the graph the nodes that compute
 * the gradient of {@code y} (summed over its elements) with respect to each of {@code xs}, and returns
 * them. Walks the nodes that lie between the xs and y in reverse topological order, asking each op for
 * its rule; where a node feeds several others, the contributions are added.
 */
public final class Gradients {
    private Gradients() {}

    public static List<Node> of(GraphBuilder b, Node y, List<Node> xs) {
        if (!b.owns(y)) {
            throw new KilnException(b.currentPosition(), "gradients: " + b.describe(y) + " belongs to another graph");
        }
        BitSet onPath = onPaths(b, y, xs);
        Ops o = new Ops(b);
        Map<Node, List<Node>> contributions = backpropagate(b, o, y, onPath);
        List<Node> result = new ArrayList<>(xs.size());
        for (Node x : xs) {
            List<Node> parts = contributions.get(x);
            if (parts == null) {
                // every path from x to y goes through inputs whose rules give none: shapes (the *_like ops),
                // integers and booleans (argmax, casts, comparisons), or labels of the first softmax cross-entropy
                throw new KilnException(b.currentPosition(), "gradients: no gradient flows from " + b.describe(y)
                        + " to " + b.describe(x) + ": it reaches it only through inputs that carry none (shapes,"
                        + " integers and booleans such as argmax and comparisons, or cross-entropy labels)");
            }
            result.add(sum(o, parts));
        }
        return result;
    }

    /** The ids of the nodes on a path from some x to y (each x must be an ancestor of y). */
    private static BitSet onPaths(GraphBuilder b, Node y, List<Node> xs) {
        List<Node> nodes = b.nodes();
        BitSet needed = Reachability.ancestors(y);
        BitSet fromX = new BitSet();
        for (Node x : xs) {
            checkDependsOn(b, y, needed, x);
            fromX.set(x.id());
        }
        for (int i = 0; i <= y.id(); i++) {
            if (!fromX.get(i) && needed.get(i)) {
                for (Node in : nodes.get(i).inputs()) {
                    if (fromX.get(in.id())) {
                        fromX.set(i);
                        break;
                    }
                }
            }
        }
        fromX.and(needed);
        return fromX;
    }

    /**
     * From y back to the xs, in reverse graph order: each node on a path sums the contributions of its
     * readers into its own gradient and hands each input its op's rule's share. Returns every node's
     * contributions (a single, summed entry for the nodes already visited).
     */
    private static Map<Node, List<Node>> backpropagate(GraphBuilder b, Ops o, Node y, BitSet onPath) {
        List<Node> nodes = b.nodes();
        Map<Node, List<Node>> contributions = new IdentityHashMap<>();
        contributions.computeIfAbsent(y, k -> new ArrayList<>()).add(o.fillLike(1f, y));
        for (int i = y.id(); i >= 0; i = onPath.previousSetBit(i - 1)) {
            if (!onPath.get(i)) {
                continue;
            }
            Node n = nodes.get(i);
            List<Node> parts = contributions.get(n);
            if (parts == null || n.inputs().isEmpty()) {
                continue;
            }
            Node dy = sum(o, parts);
            contributions.put(n, List.of(dy));
            List<Node> dx;
            try {
                dx = n.op().gradient(b, n, dy);
            } catch (KilnException e) {
                throw new KilnException(b.currentPosition(), "gradients: no gradient flows through "
                        + b.describe(n) + " built at " + n.pos() + ": " + e.detail(), e);
            }
            for (int k = 0; k < n.inputs().size(); k++) {
                Node in = n.input(k);
                if (onPath.get(in.id()) && dx.get(k) != null) {
                    contributions.computeIfAbsent(in, key -> new ArrayList<>()).add(dx.get(k));
                }
            }
        }
        return contributions;
    }

    /**
     * Complains, at the builder's current position, unless {@code y} depends on {@code x} (of this builder),
     * so that its gradient is defined. The text frontend calls it for each x to point at that x.
     */
    public static void checkDependsOn(GraphBuilder b, Node y, Node x) {
        checkDependsOn(b, y, Reachability.ancestors(y), x);
    }

    private static void checkDependsOn(GraphBuilder b, Node y, BitSet ancestorsOfY, Node x) {
        if (!b.owns(x)) {
            throw new KilnException(b.currentPosition(), "gradients: " + b.describe(x) + " belongs to another graph");
        }
        if (!ancestorsOfY.get(x.id())) {
            throw new KilnException(b.currentPosition(), "gradients: " + b.describe(y) + " does not depend on "
                    + b.describe(x) + ", so its gradient is undefined");
        }
    }

    private static Node sum(Ops o, List<Node> parts) {
        Node acc = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            acc = o.add(acc, parts.get(i));
        }
        return acc;
    }

}
