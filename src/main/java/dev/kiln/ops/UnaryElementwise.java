package dev.kiln.ops;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/** An op applying a float function to each element of its one input; the result has the input's shape. */
public non-sealed interface UnaryElementwise extends Elementwise {
    /** The function, as the interpreter computes it. */
    float apply(float x);

    @Override
    default int arity() {
        return 1;
    }

    @Override
    default Shape shape(List<Node> inputs) {
        return inputs.get(0).shape();
    }

    @Override
    default Tensor eval(List<Tensor> inputs) {
        float[] x = inputs.get(0).data();
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = apply(x[i]);
        }
        return new Tensor(inputs.get(0).shape(), r);
    }
}
