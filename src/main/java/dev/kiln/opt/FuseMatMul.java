package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ops.Elementwise;
import dev.kiln.ops.FusedElementwise;
import dev.kiln.ops.FusedMatMul;
import dev.kiln.ops.MatMul;
import dev.kiln.ops.ScalarExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fuse-matmul}: an elementwise consumer of a matmul becomes the matmul's epilogue, applied to
 * each element as the kernel finishes it: {@code relu(x @ w)} is one {@code matmul_relu} node and
 * {@code relu(x @ w + b)} one {@code matmul_bias_relu}; with the relu mask the backward pass needs, the
 * product {@code grad_h @ w^T} is masked as it is produced. Guards: the matmul has no other reader and is
 * not fetched, the consumer has the product's shape (its other operands broadcast to it), and the
 * epilogue stays within {@value #MAX_EPILOGUE_OPS} ops (it is repeated per tile column). Runs after
 * elementwise fusion, so a whole fused chain becomes the epilogue.
 */
public final class FuseMatMul implements Pass {
    private static final ScalarExpr PRODUCT = new ScalarExpr.Arg(0);
    /** Most ops in an epilogue: the kernel repeats it for every column of a tile (up to 31 copies). */
    static final int MAX_EPILOGUE_OPS = 8;

    @Override
    public String name() {
        return "fuse-matmul";
    }

    @Override
    public boolean fuses() {
        return true;
    }

    @Override
    public Program run(Program p) {
        return Rewriter.rewrite(p, FuseMatMul::rule);
    }

    private static Node rule(Node n, List<Node> in, Rewriter.Context cx) {
        ScalarExpr expr;
        if (n.op() instanceof FusedElementwise f) {
            expr = f.expr();
        } else if (n.op() instanceof Elementwise e) {
            List<ScalarExpr> args = new ArrayList<>();
            for (int k = 0; k < in.size(); k++) {
                args.add(new ScalarExpr.Arg(k));
            }
            expr = new ScalarExpr.Apply(e, args);
        } else {
            return null;
        }
        for (int k = 0; k < in.size(); k++) {
            Node m = in.get(k);
            boolean product = m.op() instanceof MatMul || m.op() instanceof FusedMatMul;
            if (product && cx.uses(n.input(k)) == 1 && m.shape().equals(n.shape()) && in.indexOf(m) == k && in.lastIndexOf(m) == k) {
                return absorb(n, in, k, expr, cx);
            }
        }
        return null;
    }

    /** The matmul {@code in[k]} with {@code expr} (over {@code in}) as its new epilogue. */
    private static Node absorb(Node n, List<Node> in, int k, ScalarExpr expr, Rewriter.Context cx) {
        Node m = in.get(k);
        FuseElementwise.Leaves extras = new FuseElementwise.Leaves();
        ScalarExpr inner;
        boolean ta;
        boolean tb;
        if (m.op() instanceof FusedMatMul f) {
            inner = rebase(f.epilogue(), m.inputs(), extras);
            ta = f.transposeA();
            tb = f.transposeB();
        } else {
            MatMul mm = (MatMul) m.op();
            inner = PRODUCT;
            ta = mm.transposeA();
            tb = mm.transposeB();
        }
        ScalarExpr epilogue = replace(expr, in, k, inner, extras);
        if (epilogue.size() > MAX_EPILOGUE_OPS) {
            return null;
        }
        List<Node> inputs = new ArrayList<>(List.of(m.input(0), m.input(1)));
        inputs.addAll(extras.nodes);
        return cx.add(new FusedMatMul(ta, tb, epilogue, inputs.size()), inputs.toArray(new Node[0]));
    }

    /** An epilogue over a fused matmul's inputs, renumbered: $0 stays the product, $i reads extras. */
    private static ScalarExpr rebase(ScalarExpr e, List<Node> inputs, FuseElementwise.Leaves extras) {
        if (e instanceof ScalarExpr.Arg a) {
            return a.index() == 0 ? PRODUCT : shift(extras.leaf(inputs.get(a.index() + 1)));
        } else if (e instanceof ScalarExpr.Const) {
            return e;
        }
        ScalarExpr.Apply ap = (ScalarExpr.Apply) e;
        List<ScalarExpr> args = new ArrayList<>();
        for (ScalarExpr x : ap.args()) {
            args.add(rebase(x, inputs, extras));
        }
        return new ScalarExpr.Apply(ap.op(), args);
    }

    /** {@code expr} with {@code Arg(k)} replaced by {@code inner} and every other argument by an extra. */
    private static ScalarExpr replace(ScalarExpr e, List<Node> in, int k, ScalarExpr inner, FuseElementwise.Leaves extras) {
        if (e instanceof ScalarExpr.Arg a) {
            return a.index() == k ? inner : shift(extras.leaf(in.get(a.index())));
        } else if (e instanceof ScalarExpr.Const) {
            return e;
        }
        ScalarExpr.Apply ap = (ScalarExpr.Apply) e;
        List<ScalarExpr> args = new ArrayList<>();
        for (ScalarExpr x : ap.args()) {
            args.add(replace(x, in, k, inner, extras));
        }
        return new ScalarExpr.Apply(ap.op(), args);
    }

    /** Extra operand j is epilogue argument j + 1 ($0 is the product). */
    private static ScalarExpr shift(ScalarExpr leaf) {
        return leaf instanceof ScalarExpr.Arg a ? new ScalarExpr.Arg(a.index() + 1) : leaf;
    }
}
