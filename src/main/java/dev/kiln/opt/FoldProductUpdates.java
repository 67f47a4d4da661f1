package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ops.ElementwiseUpdate;
import dev.kiln.ops.MatMul;
import dev.kiln.ops.MatMulUpdate;
import dev.kiln.ops.ScalarExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fold-product-updates}: an optimizer's {@code update} whose gradient is a matrix product becomes
 * one {@code matmul_update}, whose kernel finishes each element of the product with the step as soon as
 * it is summed: the gradient of a layer's weights ({@code x^T @ delta}) is never a buffer. Guards: the
 * product is a plain {@code matmul} of the variables' shape, read only by this update and not fetched,
 * and neither of its factors is one of the variables the update writes (writing them in place would change
 * what the rest of the product reads). One product per update. Folds nothing when the updates would read
 * each other's variables in a cycle ({@link UpdateOrder}). Runs after {@code fold-updates}, which makes
 * the updates, and before {@code fuse-matmul}.
 */
public final class FoldProductUpdates implements Pass {
    @Override
    public String name() {
        return "fold-product-updates";
    }

    @Override
    public boolean fuses() {
        return true;
    }

    @Override
    public Program run(Program p) {
        return UpdateOrder.unlessCyclic(p, Rewriter.rewrite(p, (n, in, cx) -> {
            if (!(n.op() instanceof ElementwiseUpdate u)) {
                return null;
            }
            int gi = gradient(n, u, cx);
            return gi < 0 ? null : folded(u, in, gi, cx);
        }));
    }

    /** The position among {@code update}'s inputs of a product it can take as its gradient, or -1. */
    private static int gradient(Node update, ElementwiseUpdate u, Rewriter.Context cx) {
        for (int i = u.states(); i < update.inputs().size(); i++) {
            Node g = update.input(i);
            if (g.op() instanceof MatMul && g.shape().equals(update.shape()) && cx.uses(g) == 1
                    && !writes(update, u, g.input(0)) && !writes(update, u, g.input(1))) {
                return i;
            }
        }
        return -1;
    }

    /** True when {@code operand} (seen through aliases) is one of the variables the update writes. */
    private static boolean writes(Node update, ElementwiseUpdate u, Node operand) {
        return update.inputs().subList(0, u.states()).contains(UpdateOrder.unalias(operand));
    }

    /** The {@code matmul_update}: the operands but the product, then its factors; the product the step's last argument. */
    private static Node folded(ElementwiseUpdate u, List<Node> in, int gi, Rewriter.Context cx) {
        int arity = u.arity();
        int[] remap = new int[arity + u.states()];
        for (int i = 0; i < remap.length; i++) {
            remap[i] = i < gi ? i : i == gi ? arity - 1 : i < arity ? i - 1 : i; // new values keep their places
        }
        List<ScalarExpr> values = u.values().stream().map(v -> FoldUpdates.renumbered(v, remap)).toList();
        Node product = in.get(gi);
        MatMul m = (MatMul) product.op();
        List<Node> inputs = new ArrayList<>(in);
        inputs.remove(gi);
        inputs.add(product.input(0));
        inputs.add(product.input(1));
        return cx.add(new MatMulUpdate(m.transposeA(), m.transposeB(), new ElementwiseUpdate(values, u.states(), arity)),
                inputs.toArray(Node[]::new));
    }
}
