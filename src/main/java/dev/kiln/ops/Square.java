package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code x * x}. Gradient: {@code dy * 2 * x}. */
public record Square() implements UnaryElementwise {
    @Override
    public String name() {
        return "square";
    }

    @Override
    public float apply(float x) {
        return x * x;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        return List.of(o.mul(dy, o.mul(2f, node.input(0))));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.dup();
        e.mul();
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
