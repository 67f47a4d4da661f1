package dev.kiln.bench.tf;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * TensorFlow Java 1.1.0 on the canonical graph trained by Adam ({@code two_layer_adam}, ApplyAdam), batch 64
 * (see {@link TfOptimizerModel}); the Kiln side is {@code dev.kiln.bench.AdamStep}, TensorFlow's SGD step
 * {@link TwoLayerStepTf}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdamStepTf {
    @State(Scope.Thread)
    public static class Tf extends TfOptimizerStep {
        public Tf() {
            super("two_layer_adam");
        }
    }

    @Benchmark
    public float tensorflow(Tf s) {
        return s.model.step();
    }
}
