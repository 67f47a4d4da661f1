package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's in-place {@link ElementwiseUpdate} whose gradient is a matrix product, in one kernel: the
 * product is summed a block of rows at a time and each block stepped at once, while it is in the L1 cache,
 * writing the variable and its slots in place; no node holds the gradient. Made by {@code fold-product-updates}. Inputs: the update's operands (the variables
 * first), then the product's a and b; the update's last argument, {@code $k} with k the number of
 * operands, is the product's element. Adam's step for {@code w1} in an MLP reads {@code x} and the
 * layer's back-propagated error instead of a gradient buffer.
 */
public record MatMulUpdate(boolean transposeA, boolean transposeB, ElementwiseUpdate update) implements InPlaceUpdate {
    public MatMulUpdate {
        if (update.arity() < update.states() + 1) {
            throw new IllegalArgumentException("the update has no argument for the product");
        }
    }

    @Override
    public String name() {
        return "matmul_update";
    }

    /** The update's operands, a and b. */
    @Override
    public int arity() {
        return update.arity() + 1;
    }

    /** Which argument the product is ({@code gradient=$k}), then each variable's new value as {@code update} shows it. */
    @Override
    public String attributes() {
        String t = product().attributes();
        return (t.isEmpty() ? "" : t + " ") + "gradient=$" + operands() + " " + update.attributes();
    }

    /** How many of the inputs are the update's operands: all but a and b. */
    public int operands() {
        return update.arity() - 1;
    }

    MatMul product() {
        return new MatMul(transposeA, transposeB);
    }

    @Override
    public DType dtype(List<Node> inputs) {
        return DType.FLOAT32;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        int ops = operands();
        Shape g = product().shape(inputs.subList(ops, ops + 2));
        for (int i = 0; i < ops; i++) {
            Node in = inputs.get(i);
            if (i < update.states() && in.op().storage() != Storage.STATE) {
                throw new KilnException("input " + i + " must be a variable, got " + in.describe());
            }
            if (!in.shape().equals(g) && (i < update.states() || in.shape().rank() != 0)) {
                throw new KilnException("input " + i + " has shape " + in.shape() + ", not the product's " + g + " or a scalar");
            }
        }
        return g;
    }

    @Override
    public int writes() {
        return update.states();
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        return evalWrites(inputs).get(0);
    }

    /** The product, then the update with it as its last argument. */
    @Override
    public List<Tensor> evalWrites(List<Tensor> inputs) {
        int ops = operands();
        List<Tensor> args = new ArrayList<>(inputs.subList(0, ops));
        args.add(product().eval(inputs.subList(ops, ops + 2)));
        return update.evalWrites(args);
    }

    /** The product of the last two inputs, each element finished by the update's step at its position. */
    @Override
    public Kernel kernel(Node node) {
        int ops = operands();
        boolean[] scalar = new boolean[update.arity()];
        for (int i = 0; i < ops; i++) {
            scalar[i] = node.input(i).shape().rank() == 0 && node.shape().rank() != 0;
        }
        Kernel.Updates steps = new Kernel.Updates(node.shape().size(), update.states(), update.arity(), update.values(),
                scalar);
        return new Kernel.Product(ops, ops + 1, transposeA, transposeB, Kernel.Finish.UPDATES, null, new int[0][], 0f,
                steps);
    }
}
