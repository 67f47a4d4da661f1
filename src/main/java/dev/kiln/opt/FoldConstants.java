package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.Constant;
import dev.kiln.ops.Fill;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fold-constants}: evaluates, with the interpreter's kernels, every node whose inputs are all
 * constants, and replaces it by the result: a {@code fill} when all its elements are equal, else a
 * {@code constant}. Leaves alone sources, side effects, random values and results of more than
 * {@value #MAX_ELEMENTS} elements (cheaper to compute than to store).
 */
public final class FoldConstants implements Pass {
    static final int MAX_ELEMENTS = 1 << 16;

    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public Program run(Program p) {
        return Rewriter.rewrite(p, (n, in, cx) -> {
            if (n.op().isSource() || n.op().hasSideEffect() || in.isEmpty() || n.shape().size() > MAX_ELEMENTS) {
                return null;
            }
            List<Tensor> values = new ArrayList<>(in.size());
            for (Node i : in) {
                Tensor t = valueOf(i);
                if (t == null) {
                    return null;
                }
                values.add(t);
            }
            Tensor r = n.op().eval(values);
            float[] d = r.data();
            boolean uniform = true;
            for (int k = 1; k < d.length && uniform; k++) {
                uniform = Float.floatToIntBits(d[k]) == Float.floatToIntBits(d[0]);
            }
            return uniform ? cx.ops().fill(d[0], r.shape()) : cx.add(new Constant(r));
        });
    }

    static Tensor valueOf(Node n) {
        if (n.op() instanceof Fill f) {
            return f.eval(List.of());
        }
        if (n.op() instanceof Constant c) {
            return c.value();
        }
        return null;
    }
}
