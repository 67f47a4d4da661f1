package dev.kiln.ops;

/** Mean over {@code axes}; see {@link AxisReduction}. */
public record ReduceMean(int[] axes, boolean keepDims) implements AxisReduction {
    @Override
    public String name() {
        return "reduce_mean";
    }

    @Override
    public boolean mean() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return AxisReduction.same(this, o);
    }

    @Override
    public int hashCode() {
        return AxisReduction.hash(this);
    }

    @Override
    public String toString() {
        return name() + "(" + attributes() + ")";
    }
}
