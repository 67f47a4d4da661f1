package dev.kiln.ops;

import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * The flat index of each element, 0, 1, 2, ... in row-major order: what {@link HashUniform} draws a value
 * for. A constant; its shape may have unknown dimensions until the graph is bound (a dropout over a batch).
 * Exact while the index is below 2^24.
 */
public record Iota(Shape declared) implements Leaf {
    @Override
    public String name() {
        return "iota";
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        float[] d = new float[declared.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return new Tensor(declared, d);
    }

    @Override
    public Op bind(int batch) {
        return declared.isKnown() ? this : new Iota(declared.bindUnknown(batch));
    }

    @Override
    public Storage storage() {
        return Storage.CONSTANT;
    }
}
