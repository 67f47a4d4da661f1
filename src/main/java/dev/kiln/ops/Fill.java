package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.List;

/** A tensor of one repeated value: scalars, {@code zeros}, {@code ones}, the seed of a gradient. */
public record Fill(float value, Shape declared) implements Leaf {
    public Fill {
        if (!declared.isKnown()) {
            throw new KilnException("zeros/ones/fill need a fully known shape, got " + declared);
        }
    }

    @Override
    public String name() {
        return "fill";
    }

    @Override
    public String attributes() {
        return "value=" + value;
    }

    @Override
    public Tensor eval(List<Tensor> inputs) {
        float[] d = new float[declared.size()];
        Arrays.fill(d, value);
        return new Tensor(declared, d);
    }

    @Override
    public Storage storage() {
        return Storage.CONSTANT;
    }

    @Override
    public Float uniformValue() {
        return value;
    }
}
