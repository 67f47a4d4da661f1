package dev.kiln.ops;

import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * An input fed on every run, by name. Its shape may have unknown ({@code None}) dimensions, bound when
 * the graph is bound. A leaf of differentiation.
 */
public record Placeholder(Shape declared) implements Leaf {
    @Override
    public String name() {
        return "placeholder";
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        throw new IllegalStateException("a placeholder's value comes from a feed");
    }

    @Override
    public Op bind(int batch) {
        return declared.isKnown() ? this : new Placeholder(declared.bindUnknown(batch));
    }

    @Override
    public Storage storage() {
        return Storage.FEED;
    }

}
