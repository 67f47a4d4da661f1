package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code e ** x}. Gradient: {@code dy * e ** x}, reusing the output. */
public record Exp() implements UnaryElementwise {
    @Override
    public String name() {
        return "exp";
    }

    @Override
    public float apply(float x) {
        return exp(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).mul(dy, node));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Exp.class, "exp", 1);
    }

    /** The kernel, shared by the interpreter and the generated code. */
    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
