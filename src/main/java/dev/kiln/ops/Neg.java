package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code -x}. Gradient: {@code -dy}. */
public record Neg() implements UnaryElementwise {
    @Override
    public String name() {
        return "neg";
    }

    @Override
    public float apply(float x) {
        return -x;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).neg(dy));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.neg();
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Unary("neg");
    }
}
