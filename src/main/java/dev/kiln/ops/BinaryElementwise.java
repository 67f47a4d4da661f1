package dev.kiln.ops;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/** An op applying a float function to pairs of elements of two inputs, with NumPy broadcasting. */
public non-sealed interface BinaryElementwise extends Elementwise {
    /** The function, as the interpreter computes it. */
    float apply(float a, float b);

    @Override
    default int arity() {
        return 2;
    }

    @Override
    default Shape shape(List<Node> inputs) {
        return Broadcast.shape(inputs.get(0).shape(), inputs.get(1).shape());
    }

    @Override
    default Tensor eval(List<Tensor> inputs) {
        Tensor a = inputs.get(0);
        Tensor b = inputs.get(1);
        return Broadcast.apply(a, b, Broadcast.shape(a.shape(), b.shape()), this::apply);
    }
}
