package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.Arrays;
import java.util.List;

/**
 * A uniform value in [0, 1) drawn for element {@code index} at step {@code step} (inputs: the element's index,
 * an {@link Iota}, and a scalar counter): a hash (SplitMix64's finalizer) of the seed and both values' bits,
 * its top 24 bits scaled. The same (seed, step, index) always gives the same value, on every engine; a new
 * step, new values: the per-step randomness of {@code tf.nn.dropout}, with no state but the counter.
 * No gradient flows through it.
 */
public record HashUniform(int seed) implements BinaryElementwise {
    @Override
    public String name() {
        return "hash_uniform";
    }

    @Override
    public String attributes() {
        return "seed=" + seed;
    }

    @Override
    public float apply(float index, float step) {
        return draw(index, step, seed);
    }

    /** The value for an element index, a step and a seed (a float holding an integer). */
    public static float draw(float index, float step, float seed) {
        long z = ((long) Float.floatToIntBits(step) << 32 | Float.floatToIntBits(index) & 0xffffffffL)
                + (long) seed * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        return Arrays.asList(null, null);
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.constant(seed);
        e.callStatic(HashUniform.class, "draw", 3);
    }

    @Override
    public VectorForm vectorForm() {
        return VectorForm.NONE;
    }
}
