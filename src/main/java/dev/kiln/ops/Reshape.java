package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The same elements in row-major order under another shape; one target dimension may be -1, inferred
 * from the size. Gradient: {@code dy} reshaped to the input's shape.
 */
public record Reshape(int[] target) implements Alias {
    public Reshape {
        int inferred = 0;
        for (int d : target) {
            if (d == -1) {
                inferred++;
            } else if (d < 1) {
                throw new KilnException("reshape: bad dimension " + d + " in " + Arrays.toString(target));
            }
        }
        if (inferred > 1) {
            throw new KilnException("reshape: at most one dimension may be -1, got " + Arrays.toString(target));
        }
        target = target.clone();
    }

    @Override
    public String name() {
        return "reshape";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public String attributes() {
        return "shape=" + Reduction.axesText(target);
    }

    @Override
    public Shape shape(List<Node> inputs) {
        Shape in = inputs.get(0).shape();
        int known = 1;
        int free = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                free = i;
            } else {
                known *= target[i];
            }
        }
        if (!in.isKnown()) {
            return Shape.of(target); // a -1 stays unknown until the graph is bound
        }
        int size = in.size();
        int[] out = target.clone();
        if (free >= 0) {
            if (size % known != 0) {
                throw new KilnException("cannot reshape " + size + " elements into " + Arrays.toString(target));
            }
            out[free] = size / known;
        } else if (known != size) {
            throw new KilnException("cannot reshape " + size + " elements into " + Arrays.toString(target));
        }
        return Shape.of(out);
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        return new Tensor(inferFor(inputs.get(0)), inputs.get(0).data());
    }

    private Shape inferFor(Tensor x) {
        int known = 1;
        int free = -1;
        int[] out = target.clone();
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                free = i;
            } else {
                known *= target[i];
            }
        }
        if (free >= 0) {
            out[free] = x.size() / known;
        }
        return Shape.of(out);
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Shape in = node.input(0).shape();
        int unknown = 0;
        for (int d : in.dims()) {
            unknown += d == Shape.UNKNOWN ? 1 : 0;
        }
        Ops o = new Ops(b);
        // one unknown dimension is -1, which reshape infers; more need the input's shape once bound
        return List.of(unknown <= 1 ? o.reshape(dy, in.dims()) : o.reshapeLike(dy, node.input(0)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reshape r && Arrays.equals(target, r.target);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }

    @Override
    public boolean linear() {
        return true;
    }
}
