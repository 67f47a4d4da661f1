package dev.kiln.dsl;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ops.RandomValues;

/**
 * TensorFlow's random initializers beyond {@link Tf#randomNormal}: {@code tf.random_uniform} and
 * {@code tf.truncated_normal}. Reached as {@code tf.random()}; seeded as {@code random_normal} is (an
 * explicit seed alone, else the run's seed with the op's count).
 */
public final class Randoms {
    private final Tf tf;
    /** Seedless random ops built so far in this graph: each one's own seed, mixed with the run's. */
    private long seedless;

    Randoms(Tf tf) {
        this.tf = tf;
    }

    /** Values uniform in {@code [minval, maxval)}, as {@code tf.random_uniform}; {@code seed} may be null. */
    public Node uniform(Shape shape, float minval, float maxval, Long seed) {
        if (!(minval < maxval)) {
            throw new KilnException(tf.builder().currentPosition(), "random_uniform: minval must be below maxval, got "
                    + minval + " and " + maxval);
        }
        return make(RandomValues.Kind.UNIFORM, shape, minval, maxval, seed, "random_uniform");
    }

    /** {@code mean + stddev·N(0,1)} redrawn beyond two standard deviations, as {@code tf.truncated_normal}. */
    public Node truncatedNormal(Shape shape, float mean, float stddev, Long seed) {
        if (stddev < 0) {
            throw new KilnException(tf.builder().currentPosition(), "truncated_normal: stddev must not be negative, got "
                    + stddev);
        }
        return make(RandomValues.Kind.TRUNCATED_NORMAL, shape, mean, stddev, seed, "truncated_normal");
    }

    /** The next seedless random op's own seed: the count of those built before it. */
    long nextSeedless() {
        return seedless++;
    }

    private Node make(RandomValues.Kind kind, Shape shape, float a, float b, Long seed, String op) {
        if (shape == null) {
            throw new KilnException(tf.builder().currentPosition(), op + ": the shape is null");
        }
        long s = seed != null ? seed : nextSeedless();
        return tf.builder().add(tf.ops().made(() -> new RandomValues(kind, shape, a, b, s, seed != null)));
    }
}
