package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code 1 / (1 + exp(-x))}. Gradient: {@code dy * s * (1 - s)} with s the output. */
public record Sigmoid() implements UnaryElementwise {
    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public float apply(float x) {
        return sigmoid(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        return List.of(o.mul(dy, o.mul(node, o.sub(o.scalar(1f), node))));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Sigmoid.class, "sigmoid", 1);
    }

    /** The kernel, shared by the interpreter and the generated code. */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
