package dev.kiln.bench.tf;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * TensorFlow Java 1.1.0 on the digits MLP's training step ({@code examples/digits_mlp.kiln}: sparse softmax
 * cross-entropy, ApplyAdam), batch 64 (see {@link TfOptimizerModel}); the Kiln side is
 * {@code dev.kiln.bench.DigitsMlpStep}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DigitsMlpStepTf {
    @State(Scope.Thread)
    public static class Tf extends TfOptimizerStep {
        public Tf() {
            super("digits_mlp");
        }
    }

    @Benchmark
    public float tensorflow(Tf s) {
        return s.model.step();
    }
}
