package dev.kiln.ops;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An op computed element by element, which can therefore be fused into loops with its neighbours. Its
 * kernel is a loop over the result reading each input broadcast to it; a scalar constant input is
 * written into the code instead of read from an array.
 */
public sealed interface Elementwise extends KilnOp permits UnaryElementwise, BinaryElementwise {
    /** Emits the op's arithmetic, its operands being on the stack (see {@link ScalarEmitter}). */
    void emit(ScalarEmitter e);

    /** Its form in the Vector API when that computes exactly what {@code apply} does, else {@link VectorForm#NONE}. */
    VectorForm vectorForm();

    @Override
    default InputUse inputUse(Node node, int k) {
        Node in = node.input(k);
        return in.op().uniformValue() != null && in.shape().rank() == 0 ? InputUse.INLINED : InputUse.ARRAY;
    }

    @Override
    default Kernel kernel(Node node) {
        Shape out = node.shape();
        List<ScalarExpr> args = new ArrayList<>();
        List<int[]> strides = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            Node in = node.input(i);
            if (inputUse(node, i) == InputUse.INLINED) {
                args.add(new ScalarExpr.Const(in.op().uniformValue()));
            } else {
                args.add(new ScalarExpr.Arg(strides.size()));
                strides.add(Broadcast.stridesFor(in.shape(), out));
            }
        }
        return Loops.elementwise(out, new ScalarExpr.Apply(this, args), strides.toArray(new int[0][]));
    }
}
