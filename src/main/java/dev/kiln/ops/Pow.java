package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * {@code x ** c} for a constant exponent {@code c}, computed as {@code Math.pow} in double and rounded
 * (exact for small integer exponents). Gradient: {@code dy * c * x ** (c - 1)}, except for {@code c = 0}:
 * {@code x ** 0} is 1 everywhere, 0 included, so its gradient is 0 everywhere, where the formula (and
 * TensorFlow's, which uses it) gives {@code 0 * 0 ** -1 = NaN} at {@code x = 0}.
 */
public record Pow(float exponent) implements UnaryElementwise {
    @Override
    public String name() {
        return "pow";
    }

    @Override
    public String attributes() {
        return "exponent=" + exponent;
    }

    @Override
    public float apply(float x) {
        return pow(x, exponent);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        if (exponent == 0f) {
            return List.of(o.fillLike(0f, x));
        }
        Node slope = exponent == 2f ? o.mul(2f, x) : o.mul(exponent, o.pow(x, exponent - 1f));
        return List.of(o.mul(dy, slope));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.constant(exponent);
        e.callStatic(Pow.class, "pow", 2);
    }

    /** The kernel, shared by the interpreter and the generated code. */
    public static float pow(float x, float exponent) {
        return (float) Math.pow(x, exponent);
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
