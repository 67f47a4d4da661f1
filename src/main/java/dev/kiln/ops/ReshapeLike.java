package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code g} reshaped to the shape of {@code like} (its second input, whose value is not read): the
 * gradient of a reshape whose input has several unknown dimensions, which no single reshape target can
 * say. Canonicalization turns it into a plain reshape once the graph is bound.
 */
public record ReshapeLike() implements Alias, ShapeLike {
    @Override
    public DType dtype(List<Node> inputs) {
        return inputs.get(0).dtype();
    }

    @Override
    public String name() {
        return "reshape_like";
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape g = inputs.get(0).shape();
        Shape like = inputs.get(1).shape();
        if (g.isKnown() && like.isKnown() && g.size() != like.size()) {
            throw new KilnException("cannot reshape " + g + " (" + g.size() + " elements) to " + like);
        }
        return like;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        return new Tensor(inputs.get(1).shape(), inputs.get(0).data());
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return Arrays.asList(new Ops(b).reshapeLike(dy, node.input(0)), null);
    }
}
