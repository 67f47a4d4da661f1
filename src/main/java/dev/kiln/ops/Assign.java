package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * Gives a variable (first input) a new value (second input), taking effect when the run ends: every read
 * of the variable within the run sees the old value. The node's own value is the new value. Has a side
 * effect, so dead-code elimination keeps it when it is a target; not differentiable.
 */
public record Assign() implements KilnOp {
    @Override
    public String name() {
        return "assign";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Node ref = inputs.get(0);
        Node value = inputs.get(1);
        if (!(ref.op() instanceof Variable)) {
            throw new KilnException("can only assign to a variable, not to " + ref.describe());
        }
        Shape want = ref.shape();
        Shape got = value.shape();
        boolean fits = want.rank() == got.rank();
        for (int i = 0; fits && i < want.rank(); i++) {
            fits = want.dim(i) == got.dim(i) || got.dim(i) == Shape.UNKNOWN;
        }
        if (!fits) {
            throw new KilnException("the new value's shape " + got + " differs from the variable's " + want);
        }
        return want;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        return inputs.get(1);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw new KilnException(node.pos(), "assign is not differentiable");
    }

    @Override
    public Storage storage() {
        return Storage.ASSIGN;
    }

    @Override
    public Kernel kernel(Node node) {
        return new Kernel.None();
    }
}
