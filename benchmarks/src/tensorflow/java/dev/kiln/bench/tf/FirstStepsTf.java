package dev.kiln.bench.tf;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TensorFlow's twin of {@link dev.kiln.bench.FirstSteps}: in a fresh JVM whose setup has loaded the
 * native library, build the graph and a one-thread session, initialize, and run the first 500 steps.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class FirstStepsTf {
    @State(Scope.Thread)
    public static class Native {
        @Setup
        public void setup() {
            org.tensorflow.TensorFlow.version(); // loads the native library
        }
    }

    @Benchmark
    public float tensorflow(Native n) {
        try (TfModel m = new TfModel("two_layer", 64, "1")) {
            float loss = 0;
            for (int t = 0; t < 500; t++) {
                loss = m.step();
            }
            return loss;
        }
    }
}
