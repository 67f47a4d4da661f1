package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code x * y}, elementwise, broadcasting. Gradient: {@code dy * y} to x and {@code dy * x} to y. */
public record Mul() implements BinaryElementwise {
    @Override
    public String name() {
        return "mul";
    }

    @Override
    public float apply(float a, float b) {
        return a * b;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        Node y = node.input(1);
        return List.of(o.sumLike(o.mul(dy, y), x), o.sumLike(o.mul(dy, x), y));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.mul();
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Binary("mul");
    }
}
