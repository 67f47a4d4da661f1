package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ops.Elementwise;
import dev.kiln.ops.FusedElementwise;
import dev.kiln.ops.FusedReduce;
import dev.kiln.ops.ReduceMean;
import dev.kiln.ops.ReduceSum;
import dev.kiln.ops.ScalarExpr;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fuse-elementwise}: chains of elementwise ops become one {@code fused} node computing a
 * {@link ScalarExpr} in one loop, and a sum or mean of such a chain becomes one {@code fused_reduce}
 * (so {@code reduce_sum((y - y_pred) ** 2)} is one loop with no intermediate buffers). An operand is
 * absorbed when it is elementwise, has no other reader, is not fetched, and has the consumer's full
 * shape (absorbing a broadcast operand would compute it many times), and the expression stays within
 * {@value #MAX_OPS} ops; scalar constants become literals.
 */
public final class FuseElementwise implements Pass {
    /**
     * Most ops in one fused expression: a longer chain is split into several loops, so that every kernel
     * stays far below HotSpot's 8,000-byte JIT limit (a reduction emits its body five times).
     */
    static final int MAX_OPS = 48;

    @Override
    public String name() {
        return "fuse-elementwise";
    }

    @Override
    public boolean fuses() {
        return true;
    }

    @Override
    public Program run(Program p) {
        return Rewriter.rewrite(p, FuseElementwise::rule);
    }

    private static Node rule(Node n, List<Node> in, Rewriter.Context cx) {
        if (n.op() instanceof Elementwise e) {
            Leaves leaves = new Leaves();
            List<ScalarExpr> args = new ArrayList<>();
            boolean absorbed = false;
            for (int k = 0; k < in.size(); k++) {
                ScalarExpr a = leaves.operand(n.input(k), in.get(k), n, cx);
                absorbed |= !(a instanceof ScalarExpr.Arg);
                args.add(a);
            }
            ScalarExpr expr = new ScalarExpr.Apply(e, args);
            if (!absorbed || expr.size() > MAX_OPS) {
                return null;
            }
            return cx.add(new FusedElementwise(expr, leaves.nodes.size()),
                    leaves.nodes.toArray(new Node[0]));
        }
        boolean sum = n.op() instanceof ReduceSum;
        if (sum || n.op() instanceof ReduceMean) {
            Node x = in.get(0);
            if (!fusible(n.input(0), x, x.shape(), cx)) {
                return null;
            }
            Leaves leaves = new Leaves();
            ScalarExpr body = leaves.inline(x);
            if (body.size() > MAX_OPS) {
                return null;
            }
            int[] axes = sum ? ((ReduceSum) n.op()).axes() : ((ReduceMean) n.op()).axes();
            boolean keep = sum ? ((ReduceSum) n.op()).keepDims() : ((ReduceMean) n.op()).keepDims();
            return cx.add(new FusedReduce(body, leaves.nodes.size(), axes, keep, !sum), leaves.nodes.toArray(new Node[0]));
        }
        return null;
    }

    /** True when {@code x} (old node {@code old}) can be computed inside a loop over {@code space}. */
    static boolean fusible(Node old, Node x, dev.kiln.ir.Shape space, Rewriter.Context cx) {
        return (x.op() instanceof Elementwise || x.op() instanceof FusedElementwise)
                && cx.uses(old) == 1 && x.shape().equals(space);
    }

    /** The distinct nodes a fused expression reads, numbered in order of first use. */
    static final class Leaves {
        final List<Node> nodes = new ArrayList<>();
        private final Map<Node, Integer> index = new IdentityHashMap<>();

        ScalarExpr leaf(Node n) {
            Float s = Patterns.scalar(n);
            if (s != null) {
                return new ScalarExpr.Const(s);
            }
            return new ScalarExpr.Arg(index.computeIfAbsent(n, k -> {
                nodes.add(k);
                return nodes.size() - 1;
            }));
        }

        /** The operand {@code x} (old node {@code old}) of {@code consumer}: inlined when fusible, else a leaf. */
        ScalarExpr operand(Node old, Node x, Node consumer, Rewriter.Context cx) {
            return fusible(old, x, consumer.shape(), cx) ? inline(x) : leaf(x);
        }

        /** The expression computing elementwise node {@code x} from leaves. */
        ScalarExpr inline(Node x) {
            if (x.op() instanceof FusedElementwise f) {
                return substitute(f.expr(), x.inputs());
            }
            List<ScalarExpr> args = new ArrayList<>();
            for (Node in : x.inputs()) {
                args.add(leaf(in));
            }
            return new ScalarExpr.Apply((Elementwise) x.op(), args);
        }

        /** {@code e} with each {@code Arg(i)} replaced by the leaf for {@code inputs[i]}. */
        ScalarExpr substitute(ScalarExpr e, List<Node> inputs) {
            if (e instanceof ScalarExpr.Arg a) {
                return leaf(inputs.get(a.index()));
            } else if (e instanceof ScalarExpr.Const) {
                return e;
            }
            ScalarExpr.Apply ap = (ScalarExpr.Apply) e;
            List<ScalarExpr> args = new ArrayList<>();
            for (ScalarExpr a : ap.args()) {
                args.add(substitute(a, inputs));
            }
            return new ScalarExpr.Apply(ap.op(), args);
        }
    }
}
