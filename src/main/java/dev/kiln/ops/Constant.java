package dev.kiln.ops;

import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/** A literal tensor (from {@code constant([[1, 2], [3, 4]])}). Uniform values use {@link Fill} instead. */
public record Constant(Tensor value) implements Leaf {
    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String attributes() {
        float[] d = value.data();
        if (d.length <= 6) {
            return "value=" + Arrays.toString(d).replace(" ", "");
        }
        return "value=[" + d[0] + "," + d[1] + ",...," + d[d.length - 1] + "]";
    }

    @Override
    public Shape declared() {
        return value.shape();
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        return value;
    }

    @Override
    public Storage storage() {
        return Storage.CONSTANT;
    }

}
