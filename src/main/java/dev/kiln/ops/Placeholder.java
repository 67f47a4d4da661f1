package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * An input fed on every run, by name. Its shape may have unknown ({@code None}) dimensions, bound when
 * the graph is bound. A leaf of differentiation.
 */
public record Placeholder(Shape declared, DType type) implements Leaf {
    /** A float32 placeholder. */
    public Placeholder(Shape declared) {
        this(declared, DType.FLOAT32);
    }

    @Override
    public DType dtype(List<Node> inputs) {
        return type;
    }

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
        return declared.isKnown() ? this : new Placeholder(declared.bindUnknown(batch), type);
    }

    @Override
    public Storage storage() {
        return Storage.FEED;
    }

}
