package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** Hyperbolic tangent. Gradient: {@code dy * (1 - t * t)} with t the output. */
public record Tanh() implements UnaryElementwise {
    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public float apply(float x) {
        return tanh(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        return List.of(o.mul(dy, o.sub(o.scalar(1f), o.mul(node, node))));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Tanh.class, "tanh", 1);
    }

    /** The kernel, shared by the interpreter and the generated code. */
    public static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
