package dev.kiln.opt;

import dev.kiln.ops.Composite;
import dev.kiln.ops.KilnOp;

/**
 * {@code expand-composites}: replaces each composite op (softmax, log_softmax, softmax cross-entropy)
 * with the simpler ops that compute it ({@link Composite#expand}), so that the rest of the pipeline and
 * the back end see only ops with kernels. The gradients were built before, from the composite ops' own
 * closed forms, and are left as they are. Must stay on: the planner refuses a composite op.
 */
public final class ExpandComposites implements Pass {
    @Override
    public String name() {
        return "expand-composites";
    }

    @Override
    public Program run(Program p) {
        return Rewriter.rewrite(p, (n, in, cx) -> KilnOp.of(n.op()) instanceof Composite c ? c.expand(cx.ops(), in) : null);
    }
}
