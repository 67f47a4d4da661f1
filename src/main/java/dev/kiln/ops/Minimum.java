package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * {@code min(x, y)}, elementwise, broadcasting. Gradient, as TensorFlow defines it: {@code dy} goes to x
 * where {@code x <= y} and to y elsewhere.
 */
public record Minimum() implements BinaryElementwise {
    @Override
    public String name() {
        return "minimum";
    }

    @Override
    public float apply(float a, float b) {
        return Math.min(a, b);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        Node y = node.input(1);
        Node toX = o.mul(dy, o.compare(Compare.Kind.LESS_EQUAL, x, y));
        Node toY = o.mul(dy, o.compare(Compare.Kind.GREATER, x, y));
        return List.of(o.sumLike(toX, x), o.sumLike(toY, y));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Math.class, "min", 2);
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Binary("min");
    }
}
