package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Several variables of one shape updated in place in one pass over their elements: an optimizer's step for
 * a variable and its slots ({@code m ← m + (g − m)·(1−β₁)}, {@code v ← ...}, {@code w ← w − m·α/(√v + ε)}),
 * made by {@code fold-updates} from the assignments it replaces. Inputs 0 to {@code states}-1 are the
 * variables; the others are read, each of the variables' shape or a scalar. {@code values.get(j)} computes
 * variable j's new value from argument i (input i's element; for a variable, its value before the step) and
 * argument {@code arity + k} (variable k's new value, k &lt; j). A side effect, like the assignments.
 */
public record ElementwiseUpdate(List<ScalarExpr> values, int states, int arity) implements InPlaceUpdate {
    public ElementwiseUpdate {
        values = List.copyOf(values);
        if (states < 1 || values.size() != states || arity < states) {
            throw new IllegalArgumentException("an update needs one value per variable: " + values.size() + " for " + states);
        }
    }

    @Override
    public String name() {
        return "update";
    }

    /** Each variable's new value, {@code $0=...}; a variable's new value read by a later one is {@code $0'}. */
    @Override
    public String attributes() {
        List<String> each = new ArrayList<>();
        for (int j = 0; j < states; j++) {
            each.add("$" + j + "=" + values.get(j).shown(i -> i < arity ? "$" + i : "$" + (i - arity) + "'"));
        }
        return String.join(" ", each);
    }

    @Override
    public DType dtype(List<Node> inputs) {
        return DType.FLOAT32;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape s = inputs.get(0).shape();
        for (int i = 0; i < inputs.size(); i++) {
            Node in = inputs.get(i);
            if (i < states && in.op().storage() != Storage.STATE) {
                throw new KilnException("input " + i + " must be a variable, got " + in.describe());
            }
            if (!in.shape().equals(s) && (i < states || in.shape().rank() != 0)) {
                throw new KilnException("input " + i + " has shape " + in.shape() + ", not the variables' " + s + " or a scalar");
            }
        }
        return s;
    }

    @Override
    public int writes() {
        return states;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        return evalWrites(inputs).get(0);
    }

    @Override
    public List<Tensor> evalWrites(List<Tensor> inputs) {
        int n = inputs.get(0).size();
        float[][] out = new float[states][n];
        float[] args = new float[arity + states];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < arity; i++) {
                float[] d = inputs.get(i).data();
                args[i] = d.length == 1 ? d[0] : d[e];
            }
            for (int j = 0; j < states; j++) {
                args[arity + j] = values.get(j).eval(args);
                out[j][e] = args[arity + j];
            }
        }
        List<Tensor> r = new ArrayList<>();
        for (float[] o : out) {
            r.add(new Tensor(inputs.get(0).shape(), o));
        }
        return r;
    }



    @Override
    public Kernel kernel(Node node) {
        boolean[] scalar = new boolean[arity];
        for (int i = 0; i < arity; i++) {
            scalar[i] = node.input(i).shape().rank() == 0 && node.shape().rank() != 0;
        }
        return new Kernel.Updates(node.shape().size(), states, arity, values, scalar);
    }
}
