package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * The absolute value, {@code Math.abs}. Gradient: {@code dy · sign(x)}, TensorFlow's rule: 0 at x = 0.
 * Its Vector API form, {@code abs()}, clears the sign bit as {@code Math.abs} does.
 */
public record Abs() implements UnaryElementwise {
    @Override
    public String name() {
        return "abs";
    }

    @Override
    public float apply(float x) {
        return Math.abs(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        Node zero = o.scalar(0f);
        Node sign = o.sub(o.compare(Compare.Kind.GREATER, x, zero), o.compare(Compare.Kind.LESS, x, zero));
        return List.of(o.mul(dy, sign));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Math.class, "abs", 1);
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Unary("abs");
    }
}
