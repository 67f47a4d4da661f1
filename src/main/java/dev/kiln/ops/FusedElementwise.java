package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * A chain of elementwise ops computed in one loop: {@code expr} over the inputs, broadcast to a common
 * shape. Made by the elementwise-fusion pass; no intermediate buffer exists for the ops inside.
 */
public record FusedElementwise(ScalarExpr expr, int arity) implements KilnOp {
    @Override
    public String name() {
        return "fused";
    }

    @Override
    public String attributes() {
        return "expr=" + expr;
    }

    /** Its expression's type ({@link ScalarExpr#dtype}); its inputs may be of any type, as the fused ops' were. */
    @Override
    public DType dtype(List<Node> inputs) {
        return expr.dtype();
    }

    @Override
    public Shape shape(List<Node> inputs) {
        return Fused.broadcastAll(inputs);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Shape out = Fused.broadcastAllValues(inputs);
        return new Tensor(out, Fused.evaluate(expr, inputs, out));
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw Fused.notDifferentiable(node);
    }

    @Override
    public Kernel kernel(Node node) {
        return Loops.elementwise(node.shape(), expr, Loops.broadcastStrides(node.inputs(), node.shape()));
    }
}
