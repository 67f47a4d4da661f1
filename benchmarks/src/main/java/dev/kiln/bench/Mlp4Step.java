package dev.kiln.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * a deeper MLP's training step ({@code benchmarks/graphs/mlp4.kiln}): four 256x256 layers with ReLU, batch 64, SGD on every weight. Fetch {@code loss}, perform every assign; feeds from {@link Models#DATA_SEED}, variables from
 * the initializers with seed 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Mlp4Step {
    static final String GRAPH = "mlp4";

    @State(Scope.Thread)
    public static class Compiled extends StepStates.Compiled {
        public Compiled() {
            super(GRAPH);
        }
    }

    @State(Scope.Thread)
    public static class Interpreted extends StepStates.Interpreted {
        public Interpreted() {
            super(GRAPH);
        }
    }

    @Benchmark
    public float compiled(Compiled s) {
        return s.step.run(s.x, s.y);
    }

    @Benchmark
    public float interpreter(Interpreted s) {
        return s.session.run(s.feeds).get(0).item();
    }
}
