package dev.kiln.ops;

import dev.kiln.ir.Tensor;
import java.util.List;

/**
 * A leaf of random values: a constant for each run's seed ({@link #sample}), which the planner stores and
 * the interpreter draws alike, so both engines read the same values.
 */
public sealed interface Sampled extends Leaf permits RandomNormal, RandomValues {
    /** The values for a run whose seed is {@code runSeed}. */
    Tensor sample(long runSeed);

    /** The values with run seed 0; the interpreter draws with the run's seed instead ({@link #constantValue}). */
    @Override
    default Tensor eval(List<Tensor> inputs) {
        return sample(0);
    }

    @Override
    default Storage storage() {
        return Storage.CONSTANT;
    }

    /** Drawn from the run's seed mixed with the op's own. */
    @Override
    default Tensor constantValue(long seed) {
        return sample(seed);
    }
}
