package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * Matrix product of two rank-2 tensors, {@code op(a) @ op(b)} where op transposes when its flag is set.
 * Each element sums its products in increasing k. Gradient (TensorFlow's rule): for {@code c = a @ b},
 * {@code da = dc @ b^T} and {@code db = a^T @ dc}, with the flags folded into the products.
 */
public record MatMul(boolean transposeA, boolean transposeB) implements KilnOp {
    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public String attributes() {
        return (transposeA ? "transpose_a=true" : "") + (transposeA && transposeB ? " " : "")
                + (transposeB ? "transpose_b=true" : "");
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape a = inputs.get(0).shape();
        Shape b = inputs.get(1).shape();
        if (a.rank() != 2 || b.rank() != 2) {
            throw new KilnException("needs two matrices (rank 2), got ranks " + a.rank() + " and " + b.rank());
        }
        int m = transposeA ? a.dim(1) : a.dim(0);
        int ka = transposeA ? a.dim(0) : a.dim(1);
        int kb = transposeB ? b.dim(1) : b.dim(0);
        int n = transposeB ? b.dim(0) : b.dim(1);
        if (ka != kb && ka != Shape.UNKNOWN && kb != Shape.UNKNOWN) {
            throw new KilnException("inner dimensions do not match: " + ka + " vs " + kb);
        }
        return Shape.of(m, n);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor a = transposeA ? transpose2d(inputs.get(0)) : inputs.get(0);
        Tensor b = transposeB ? transpose2d(inputs.get(1)) : inputs.get(1);
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        int n = b.shape().dim(1);
        float[] x = a.data();
        float[] y = b.data();
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                float av = x[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * y[bp + j];
                }
            }
        }
        return new Tensor(Shape.of(m, n), c);
    }

    static Tensor transpose2d(Tensor t) {
        int r = t.shape().dim(0);
        int c = t.shape().dim(1);
        float[] s = t.data();
        float[] d = new float[s.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                d[j * r + i] = s[i * c + j];
            }
        }
        return new Tensor(Shape.of(c, r), d);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        Node x = node.input(0);
        Node y = node.input(1);
        if (!transposeA && !transposeB) {
            return List.of(o.matmul(dy, y, false, true), o.matmul(x, dy, true, false));
        } else if (!transposeA) {
            return List.of(o.matmul(dy, y, false, false), o.matmul(dy, x, true, false));
        } else if (!transposeB) {
            return List.of(o.matmul(y, dy, false, true), o.matmul(x, dy, false, false));
        } else {
            return List.of(o.matmul(y, dy, true, true), o.matmul(dy, x, true, true));
        }
    }

    @Override
    public Kernel kernel(Node node) {
        return new Kernel.Product(0, 1, transposeA, transposeB, Kernel.Finish.STORE, null, new int[0][], 0f);
    }
}
