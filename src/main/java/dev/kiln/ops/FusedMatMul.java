package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * A matrix product with an elementwise epilogue applied as each element is finished, in the same kernel:
 * {@code matmul_relu} is {@code relu($0)}, {@code matmul_bias_relu} is {@code relu($0 + $1)}. In the
 * epilogue {@code $0} is the product's element and {@code $k} the element of input {@code k + 1}
 * broadcast to the product's shape. Inputs: a, b, then the epilogue's extra operands. No buffer holds
 * the product before the epilogue.
 */
public record FusedMatMul(boolean transposeA, boolean transposeB, ScalarExpr epilogue, int arity) implements KilnOp {
    private static final ScalarExpr RELU = new ScalarExpr.Apply(new Relu(), List.of(new ScalarExpr.Arg(0)));
    private static final ScalarExpr BIAS = new ScalarExpr.Apply(new Add(),
            List.of(new ScalarExpr.Arg(0), new ScalarExpr.Arg(1)));
    private static final ScalarExpr BIAS_RELU = new ScalarExpr.Apply(new Relu(), List.of(BIAS));

    /** Named for what it does: {@code matmul_relu}, {@code matmul_bias_relu}, {@code matmul_bias}, else {@code matmul_epilogue}. */
    @Override
    public String name() {
        if (epilogue.equals(RELU)) {
            return "matmul_relu";
        } else if (epilogue.equals(BIAS_RELU)) {
            return "matmul_bias_relu";
        } else if (epilogue.equals(BIAS)) {
            return "matmul_bias";
        }
        return "matmul_epilogue";
    }

    @Override
    public String attributes() {
        String t = new MatMul(transposeA, transposeB).attributes();
        return (t.isEmpty() ? "" : t + " ") + "epilogue=" + epilogue;
    }

    MatMul product() {
        return new MatMul(transposeA, transposeB);
    }

    /** float32; its inputs may be of any type, as the fused ops' were. */
    @Override
    public DType dtype(List<Node> inputs) {
        return DType.FLOAT32;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape out = product().shape(inputs.subList(0, 2));
        for (Node extra : inputs.subList(2, inputs.size())) {
            if (!Broadcast.shape(out, extra.shape()).equals(out)) {
                throw new KilnException("epilogue operand of shape " + extra.shape() + " does not broadcast to " + out);
            }
        }
        return out;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor p = product().eval(inputs.subList(0, 2));
        List<Tensor> args = new java.util.ArrayList<>(inputs.size() - 1);
        args.add(p);
        args.addAll(inputs.subList(2, inputs.size()));
        return new Tensor(p.shape(), Fused.evaluate(epilogue, args, p.shape()));
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        throw Fused.notDifferentiable(node);
    }

    /** The product of inputs 0 and 1, each element passed through the epilogue with the inputs after them. */
    @Override
    public Kernel kernel(Node node) {
        int[][] extras = new int[node.inputs().size() - 2][];
        for (int x = 0; x < extras.length; x++) {
            extras[x] = Broadcast.stridesFor(node.input(2 + x).shape(), node.shape());
        }
        return new Kernel.Product(0, 1, transposeA, transposeB, Kernel.Finish.EPILOGUE, epilogue, extras, 0f);
    }
}
