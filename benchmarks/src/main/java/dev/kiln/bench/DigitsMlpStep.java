package dev.kiln.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The digits classifier's training step ({@code examples/digits_mlp.kiln}): 64-128-10 ReLU MLP with biases,
 * sparse softmax cross-entropy, {@code AdamOptimizer(1e-3)}, batch 64, fed the first 64 training images and
 * their int64 labels (as floats), variables from the initializers with seed 0. Fetch {@code loss}, perform
 * every assign.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DigitsMlpStep {
    static final String GRAPH = "digits_mlp";

    @State(Scope.Thread)
    public static class Compiled extends StepStates.Compiled {
        public Compiled() {
            super(GRAPH);
        }
    }

    @Benchmark
    public float compiled(Compiled s) {
        return s.step.run(s.x, s.y);
    }
}
