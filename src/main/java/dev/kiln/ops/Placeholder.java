package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * An input fed on every run, by name. Its shape may have unknown ({@code None}) dimensions, bound when
 * the graph is bound. A leaf of differentiation.
 */
public record Placeholder(Shape declared) implements KilnOp {
    @Override
    public String name() {
        return "placeholder";
    }

    @Override
    public int arity() {
        return 0;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        return declared;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        throw new IllegalStateException("a placeholder's value comes from a feed");
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of();
    }

    @Override
    public Op bind(int batch) {
        return declared.isKnown() ? this : new Placeholder(declared.bindUnknown(batch));
    }

    @Override
    public Storage storage() {
        return Storage.FEED;
    }

    @Override
    public Kernel kernel(Node node) {
        return new Kernel.None();
    }
}
