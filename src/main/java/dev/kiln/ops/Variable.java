package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * A read of a variable's state: the value it had when the run began (Kiln's rule; assignments take
 * effect as the run ends). Its initial value comes from the initializer recorded in the graph. A leaf
 * of differentiation.
 */
public record Variable(Shape declared) implements Leaf {
    public Variable {
        if (!declared.isKnown()) {
            throw new KilnException("a variable needs a fully known shape, got " + declared);
        }
    }

    @Override
    public String name() {
        return "variable";
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        throw new IllegalStateException("a variable's value comes from its state");
    }

    @Override
    public Storage storage() {
        return Storage.STATE;
    }

}
