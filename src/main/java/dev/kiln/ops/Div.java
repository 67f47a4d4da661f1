package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code x / y}, broadcasting. Gradient: {@code dy / y} to x and {@code -dy * x / y^2} to y. */
public record Div() implements BinaryElementwise {
    @Override
    public String name() {
        return "div";
    }

    @Override
    public float apply(float a, float b) {
        return a / b;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        Node y = node.input(1);
        Node dx = o.div(dy, y);
        Node dyy = o.neg(o.mul(dy, o.div(node, y))); // -dy * (x / y) / y
        return List.of(o.sumLike(dx, x), o.sumLike(dyy, y));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.div();
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Binary("div");
    }
}
