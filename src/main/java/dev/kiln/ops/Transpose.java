package dev.kiln.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Permutes dimensions: output dimension i is input dimension {@code perm[i]}. Gradient: the inverse
 * permutation applied to {@code dy}.
 */
public record Transpose(int[] perm) implements KilnOp {
    /** The input's: the same elements, moved. */
    @Override
    public DType dtype(List<Node> inputs) {
        return inputs.get(0).dtype();
    }

    /** The transpose by {@code perm}, or reversing all dimensions when {@code perm} is null. */
    public static Transpose of(int[] perm, int rank) {
        if (perm == null) {
            int[] p = new int[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return new Transpose(p);
        }
        if (perm.length != rank) {
            throw new KilnException("transpose: perm " + Arrays.toString(perm) + " has " + perm.length
                    + " entries for a tensor of rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int p : perm) {
            if (p < 0 || p >= rank || seen[p]) {
                throw new KilnException("transpose: perm " + Arrays.toString(perm)
                        + " is not a permutation of 0.." + (rank - 1));
            }
            seen[p] = true;
        }
        return new Transpose(perm.clone());
    }

    @Override
    public String name() {
        return "transpose";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String attributes() {
        return "perm=" + Reduction.axesText(perm);
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape in = inputs.get(0).shape();
        if (in.rank() != perm.length) {
            throw new KilnException("perm " + Arrays.toString(perm) + " does not fit rank " + in.rank());
        }
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = in.dim(perm[i]);
        }
        return Shape.of(d);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        int[] inStrides = x.shape().strides();
        int rank = perm.length;
        int[] outDims = new int[rank];
        int[] walk = new int[rank]; // input stride of each output dimension
        for (int i = 0; i < rank; i++) {
            outDims[i] = x.shape().dim(perm[i]);
            walk[i] = inStrides[perm[i]];
        }
        float[] src = x.data();
        float[] dst = new float[src.length];
        int[] idx = new int[rank];
        int off = 0;
        for (int o = 0; o < dst.length; o++) {
            dst[o] = src[off];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += walk[d];
                if (idx[d] < outDims[d]) {
                    break;
                }
                off -= walk[d] * outDims[d];
                idx[d] = 0;
            }
        }
        return new Tensor(Shape.of(outDims), dst);
    }

    /** The permutation that undoes this one. */
    public int[] inverse() {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return List.of(new Ops(b).transpose(dy, inverse()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transpose t && Arrays.equals(perm, t.perm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(perm);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }

    /** A copy reading input 0 with its strides permuted. */
    @Override
    public Kernel kernel(Node node) {
        int[] in = node.input(0).shape().strides();
        int[] st = new int[perm.length];
        for (int d = 0; d < st.length; d++) {
            st[d] = in[perm[d]];
        }
        return Loops.elementwise(node.shape(), new ScalarExpr.Arg(0), new int[][] {st});
    }

    @Override
    public boolean linear() {
        return true;
    }
}
