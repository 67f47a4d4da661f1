package dev.kiln.bench.tf;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** TensorFlow Java 1.1.0 on the canonical training step, batch 64 (see {@link TfModel}); the Kiln side is {@code dev.kiln.bench.TwoLayerStep}. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TwoLayerStepTf {
    @State(Scope.Thread)
    public static class Tf {
        /** "1": one intra-op and one inter-op thread; "default": TensorFlow's own choice. */
        @Param({"1", "default"})
        public String tfThreads;
        public final int batch = 64;
        public TfModel model;

        @Setup
        public void setup() {
            model = new TfModel("two_layer", batch, tfThreads);
            model.verify(5);
        }

        @TearDown
        public void tearDown() {
            model.close();
        }
    }

    @Benchmark
    public float tensorflow(Tf s) {
        return s.model.step();
    }
}
