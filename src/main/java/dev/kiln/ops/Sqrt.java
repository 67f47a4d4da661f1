package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * The square root, correctly rounded (NaN below 0, as TensorFlow gives). Gradient: {@code dy · 0.5 / y},
 * TensorFlow's {@code SqrtGrad}, reading the output y. Its Vector API form, {@code sqrt()}, is exact too.
 */
public record Sqrt() implements UnaryElementwise {
    @Override
    public String name() {
        return "sqrt";
    }

    @Override
    public float apply(float x) {
        return sqrt(x);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        return List.of(o.div(o.mul(dy, o.scalar(0.5f)), node));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.callStatic(Sqrt.class, "sqrt", 1);
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Unary("sqrt");
    }

    /** The kernel, shared by the interpreter and the generated code: a double square root is exact in float. */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }
}
