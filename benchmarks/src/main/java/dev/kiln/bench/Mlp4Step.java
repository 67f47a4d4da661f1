package dev.kiln.bench;

import dev.kiln.api.Session;
import dev.kiln.ir.Tensor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * a deeper MLP's training step ({@code benchmarks/graphs/mlp4.kiln}): four 256x256 layers with ReLU, batch 64, SGD on every weight. Fetch {@code loss}, perform every assign; feeds from {@link Models#DATA_SEED}, variables from
 * the initializers with seed 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Mlp4Step {
    static final String GRAPH = "mlp4";
    static final int BATCH = 64;

    @State(Scope.Thread)
    public static class Compiled {
        @Param({Variants.DEFAULT})
        public String variant;
        public Models.TrainStep step;
        public float[] x;
        public float[] y;

        @Setup
        public void setup() {
            Models.Data d = Models.data(GRAPH, BATCH);
            x = d.x();
            y = d.y();
            step = Models.compiledStep(GRAPH, BATCH, variant);
        }
    }

    @State(Scope.Thread)
    public static class Interpreted {
        public Session session;
        public Map<String, Tensor> feeds;

        @Setup
        public void setup() {
            feeds = Models.data(GRAPH, BATCH).feeds(true);
            session = Models.interpreterStep(GRAPH, BATCH);
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
