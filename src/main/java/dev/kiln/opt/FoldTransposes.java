package dev.kiln.opt;

import dev.kiln.ir.Node;
import dev.kiln.ops.MatMul;
import dev.kiln.ops.Transpose;
import java.util.Arrays;

/**
 * {@code fold-transposes}: a matrix transpose feeding a matmul becomes the matmul's transpose flag, so
 * no transposed copy is made; a transpose of a transpose becomes one permutation, and the identity
 * permutation disappears. Leaves other transposes alone.
 */
public final class FoldTransposes implements Pass {
    @Override
    public String name() {
        return "fold-transposes";
    }

    @Override
    public Program run(Program p) {
        return Rewriter.rewrite(p, (n, in, cx) -> {
            if (n.op() instanceof MatMul m) {
                boolean ta = isMatrixTranspose(in.get(0));
                boolean tb = isMatrixTranspose(in.get(1));
                if (ta || tb) {
                    return cx.ops().matmul(ta ? in.get(0).input(0) : in.get(0), tb ? in.get(1).input(0) : in.get(1),
                            m.transposeA() ^ ta, m.transposeB() ^ tb);
                }
            } else if (n.op() instanceof Transpose t) {
                Node x = in.get(0);
                if (isIdentity(t.perm())) {
                    return x;
                }
                if (x.op() instanceof Transpose inner) {
                    int[] composed = new int[t.perm().length];
                    for (int i = 0; i < composed.length; i++) {
                        composed[i] = inner.perm()[t.perm()[i]];
                    }
                    return isIdentity(composed) ? x.input(0) : cx.add(new Transpose(composed), x.input(0));
                }
            }
            return null;
        });
    }

    private static boolean isMatrixTranspose(Node n) {
        return n.op() instanceof Transpose t && Arrays.equals(t.perm(), new int[] {1, 0});
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }
}
