package dev.kiln.ops;

/** Sum over {@code axes}; see {@link AxisReduction}. */
public record ReduceSum(int[] axes, boolean keepDims) implements AxisReduction {
    @Override
    public String name() {
        return "reduce_sum";
    }

    @Override
    public boolean mean() {
        return false;
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
