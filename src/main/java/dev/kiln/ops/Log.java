package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** Natural logarithm. Gradient: {@code dy / x}. */
public record Log() implements UnaryElementwise {
    @Override
    public String name() {
        return "log";
    }

    @Override
    public float apply(float x) {
        return log(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).div(dy, node.input(0)));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Log.class, "log", 1);
    }

    /** The kernel, shared by the interpreter and the generated code. */
    public static float log(float x) {
        return (float) Math.log(x);
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
