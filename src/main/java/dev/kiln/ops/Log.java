package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** Natural logarithm. Gradient: {@code dy / x}. */
public record Log() implements UnaryElementwise {
    @Override
    public String name() {
        return "log";
    }

    @Override
    public float apply(float x) {
        return (float) Math.log(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).div(dy, node.input(0)));
    }
}
