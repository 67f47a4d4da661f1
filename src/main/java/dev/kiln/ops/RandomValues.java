package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Random;

/**
 * Random values of a distribution other than the plain normal ({@link RandomNormal}), drawn and seeded the
 * same way ({@link java.util.Random}, an explicit seed alone or the op's count mixed with the run's seed):
 * {@code random_uniform} in {@code [a, b)}, and {@code truncated_normal}, {@code a + b·N(0, 1)} with every
 * draw farther than two standard deviations drawn again, as TensorFlow's.
 */
public record RandomValues(Kind kind, Shape declared, float a, float b, long seed, boolean explicitSeed) implements Sampled {
    /** The distribution. */
    public enum Kind { UNIFORM, TRUNCATED_NORMAL }

    public RandomValues {
        if (!declared.isKnown()) {
            throw new KilnException(opName(kind) + " needs a fully known shape, got " + declared);
        }
    }

    private static String opName(Kind kind) {
        return kind == Kind.UNIFORM ? "random_uniform" : "truncated_normal";
    }

    @Override
    public String name() {
        return opName(kind);
    }

    @Override
    public String attributes() {
        String params = kind == Kind.UNIFORM ? "minval=" + a + " maxval=" + b : "mean=" + a + " stddev=" + b;
        return params + (explicitSeed ? " seed=" + seed : "");
    }

    @Override
    public Tensor sample(long runSeed) {
        Random r = new Random(explicitSeed ? seed : RandomNormal.mix(runSeed, seed));
        float[] d = new float[declared.size()];
        for (int i = 0; i < d.length; i++) {
            if (kind == Kind.UNIFORM) {
                d[i] = a + (b - a) * r.nextFloat();
            } else {
                double g;
                do {
                    g = r.nextGaussian();
                } while (Math.abs(g) > 2.0);
                d[i] = (float) (a + b * g);
            }
        }
        return new Tensor(declared, d);
    }
}
