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
 * {@code tf.argmax(x, axis, output_type)}: the index of the largest element along {@code axis} (normalized,
 * non-negative), the first one where several are equal, as TensorFlow's. A line holding NaN gives the
 * line's length, one past the last index (TensorFlow's result is then unspecified; {@code --check-numerics}
 * stops at the NaN). No gradient flows through it. Run as simpler ops ({@link Composite}): the maximum, a
 * mask of the elements equal to it, and the least index the mask keeps.
 */
public record ArgMax(int axis, DType type) implements Composite {
    public ArgMax {
        if (!type.isInteger()) {
            throw new KilnException("argmax: output_type must be int32 or int64, got " + type.pythonName());
        }
    }

    @Override
    public String name() {
        return "argmax";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String attributes() {
        return "axis=" + axis + (type == DType.INT64 ? "" : " output_type=" + type.pythonName());
    }

    @Override
    public DType dtype(List<Node> inputs) {
        return type;
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape x = inputs.get(0).shape();
        if (axis >= x.rank()) {
            throw new KilnException("axis " + axis + " is out of range for a tensor of rank " + x.rank());
        }
        return resultShape(x);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        int[] dims = x.shape().dims();
        int n = dims[axis];
        int inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        int outer = x.size() / Math.max(1, n * inner);
        float[] d = x.data();
        float[] r = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, d[base + j * inner]);
                }
                int at = n;
                for (int j = 0; j < n && at == n; j++) {
                    at = d[base + j * inner] == max ? j : n;
                }
                r[o * inner + i] = at;
            }
        }
        return new Tensor(resultShape(x.shape()), r);
    }

    /** {@code x} without the axis. */
    private Shape resultShape(Shape x) {
        int[] out = new int[x.rank() - 1];
        for (int d = 0, k = 0; d < x.rank(); d++) {
            if (d != axis) {
                out[k++] = x.dim(d);
            }
        }
        return Shape.of(out);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return Arrays.asList((Node) null);
    }

    /** {@code min over j of (x_j == max ? j : n)}, as {@code -max(-(n - mask·(n - j)))}, cast to the index type. */
    @Override
    public Node expand(Ops o, List<Node> inputs) {
        Node x = inputs.get(0);
        int n = x.shape().dim(axis);
        int[] along = new int[] {axis};
        Node mask = o.compare(Compare.Kind.EQUAL, x, o.reduceMax(x, along, true));
        int[] lineDims = new int[x.shape().rank()];
        Arrays.fill(lineDims, 1);
        lineDims[axis] = n;
        float[] distance = new float[n];
        for (int j = 0; j < n; j++) {
            distance[j] = n - j;
        }
        Node candidates = o.sub(o.scalar(n), o.mul(mask, o.constant(new Tensor(Shape.of(lineDims), distance))));
        return o.cast(o.neg(o.reduceMax(o.neg(candidates), along, false)), type);
    }
}
