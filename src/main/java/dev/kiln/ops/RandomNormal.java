package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Random;

/**
 * Normally distributed values, {@code mean + stddev * N(0, 1)}, drawn from {@link java.util.Random}'s
 * {@code nextGaussian} (its sequence is fixed by the Java specification, so a seed gives the same values
 * on every JVM). With an explicit seed the values depend on it alone; without one ({@code explicitSeed}
 * false) {@code seed} counts the seedless random ops of its program and is mixed with the run's seed, as TensorFlow
 * mixes the graph seed with the op's.
 */
public record RandomNormal(Shape declared, float mean, float stddev, long seed, boolean explicitSeed)
        implements Sampled {
    public RandomNormal {
        if (!declared.isKnown()) {
            throw new KilnException("random_normal needs a fully known shape, got " + declared);
        }
    }

    @Override
    public String name() {
        return "random_normal";
    }

    @Override
    public String attributes() {
        return "mean=" + mean + " stddev=" + stddev + (explicitSeed ? " seed=" + seed : "");
    }

    @Override
    public Tensor sample(long runSeed) {
        long s = explicitSeed ? seed : mix(runSeed, seed);
        Random r = new Random(s);
        float[] d = new float[declared.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (mean + stddev * r.nextGaussian());
        }
        return new Tensor(declared, d);
    }

    /** A well-spread combination of two seeds (SplitMix64's finalizer). */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
