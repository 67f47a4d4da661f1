package dev.kiln.bench.tf;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** TensorFlow Java 1.1.0 on the elementwise training step, batch 64 (see {@link TfModel}); the Kiln side is {@code dev.kiln.bench.ElementwiseStep}. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseStepTf {
    @State(Scope.Thread)
    public static class Tf extends TfStep {
        public Tf() {
            super("elementwise", 3);
        }
    }

    @Benchmark
    public float tensorflow(Tf s) {
        return s.model.step();
    }
}
