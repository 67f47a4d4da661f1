package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * {@code assign(w, w - rate * (a @ b))} in one kernel: inputs w (a variable), a and b. The kernel sums
 * each element of the product completely (a tile of a row at a time, in local variables) and then
 * applies it to w once, so the gradient is never a matrix in memory.
 * A side effect on w, like assign; the backend schedules it after the last read of the old w.
 */
public record SgdUpdate(boolean transposeA, boolean transposeB, float rate) implements InPlaceUpdate {
    @Override
    public String name() {
        return "sgd_update";
    }

    @Override
    public int arity() {
        return 3;
    }

    @Override
    public String attributes() {
        String t = new MatMul(transposeA, transposeB).attributes();
        return (t.isEmpty() ? "" : t + " ") + "rate=" + rate;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape g = new MatMul(transposeA, transposeB).shape(inputs.subList(1, 3));
        if (!(inputs.get(0).op() instanceof Variable) || !g.equals(inputs.get(0).shape())) {
            throw new KilnException("needs a variable of the product's shape " + g + ", got " + inputs.get(0).describe());
        }
        return g;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        float[] w = inputs.get(0).data();
        float[] g = new MatMul(transposeA, transposeB).eval(inputs.subList(1, 3)).data();
        float[] r = new float[w.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = w[i] - rate * g[i];
        }
        return new Tensor(inputs.get(0).shape(), r);
    }



    /** The product of inputs 1 and 2, each element times the rate subtracted from the variable, input 0. */
    @Override
    public Kernel kernel(Node node) {
        return new Kernel.Product(1, 2, transposeA, transposeB, Kernel.Finish.UPDATE, null, new int[0][], rate);
    }
}
