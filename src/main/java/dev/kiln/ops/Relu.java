package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * {@code max(x, 0)}. Gradient: {@code dy} where the output is positive, 0 elsewhere. The mask reads the
 * relu's output, not its input, so a fused matmul+relu kernel need not keep the pre-activation.
 */
public record Relu() implements UnaryElementwise {
    @Override
    public String name() {
        return "relu";
    }

    @Override
    public float apply(float x) {
        return Math.max(x, 0f);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        return List.of(o.mul(dy, o.compare(Compare.Kind.GREATER, node, o.scalar(0f))));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.constant(0f);
        e.callStatic(Math.class, "max", 2);
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.MaxWith(0f);
    }
}
