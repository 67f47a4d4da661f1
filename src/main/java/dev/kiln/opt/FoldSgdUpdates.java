package dev.kiln.opt;

import static dev.kiln.opt.Patterns.scaleOf;

import dev.kiln.ir.Node;
import dev.kiln.ops.Add;
import dev.kiln.ops.Assign;
import dev.kiln.ops.MatMul;
import dev.kiln.ops.SgdUpdate;
import dev.kiln.ops.Sub;

/**
 * {@code fold-sgd-updates}: {@code assign(w, w - c * (a @ b))} (also {@code w + c * (a @ b)} and
 * {@code w - a @ b}) becomes one {@code sgd_update} node, whose kernel computes the product a row at a
 * time and applies it to w at once, so the gradient is never a full matrix. Guards: the product and the
 * difference have no other reader (else the gradient must exist anyway), the assign is not fetched, and
 * c is a scalar constant
 * (canonicalization has gathered {@code lr * 2} into one), and neither factor of the product is w itself
 * (updating w in place would change what the product reads). Folds nothing when the updates would read
 * each other's variables in a cycle. Runs before elementwise fusion, which would hide the pattern.
 */
public final class FoldSgdUpdates implements Pass {
    private static boolean reads(Node operand, Node w) {
        return UpdateOrder.unalias(operand) == w;
    }

    @Override
    public String name() {
        return "fold-sgd-updates";
    }

    @Override
    public boolean fuses() {
        return true;
    }

    /**
     * The program with its SGD assigns folded, or {@code p} itself when the folded updates would read each
     * other's variables in a cycle ({@link UpdateOrder}): no order of in-place updates is right then.
     */
    @Override
    public Program run(Program p) {
        return UpdateOrder.unlessCyclic(p, fold(p));
    }

    private static Program fold(Program p) {
        return Rewriter.rewrite(p, (n, in, cx) -> {
            if (!(n.op() instanceof Assign) || cx.uses(n) != 0) { // a fetched assign's value must exist
                return null;
            }
            Node w = in.get(0);
            Node v = in.get(1);
            Node oldV = n.input(1);
            boolean sub = v.op() instanceof Sub;
            if (!(sub || v.op() instanceof Add) || cx.uses(oldV) != 1) {
                return null;
            }
            int k = v.input(0) == w ? 1 : (!sub && v.input(1) == w ? 0 : -1);
            if (k < 0) {
                return null;
            }
            Node step = v.input(k);
            Node oldStep = oldV.input(k);
            Float scale = scaleOf(step);
            Node product = scale != null ? step.input(1) : step;
            Node oldProduct = scale != null ? oldStep.input(1) : oldStep;
            if (!(product.op() instanceof MatMul m) || !product.shape().equals(w.shape()) // not a broadcast
                    || cx.uses(oldProduct) != 1 || (scale != null && cx.uses(oldStep) != 1)) {
                return null;
            }
            if (reads(product.input(0), w) || reads(product.input(1), w)) {
                return null; // updating w in place would overwrite values the product still reads
            }
            float c = scale != null ? scale : 1f;
            float rate = sub ? c : -c;
            return cx.add(new SgdUpdate(m.transposeA(), m.transposeB(), rate), w, product.input(0), product.input(1));
        });
    }
}
