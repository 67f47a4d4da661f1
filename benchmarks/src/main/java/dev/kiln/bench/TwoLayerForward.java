package dev.kiln.bench;

import dev.kiln.api.Session;
import dev.kiln.ir.Tensor;
import java.util.List;
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
 * The canonical program's forward pass: fetch {@code y_pred}, no assigns, with the reference weights
 * and the first {@code batch} rows of the reference x. Batch 64 measures throughput; batch 1, latency.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TwoLayerForward {
    static final String GRAPH = "two_layer";

    @State(Scope.Thread)
    public static class Compiled {
        @Param({Variants.DEFAULT})
        public String variant;
        @Param({"64", "1"})
        public int batch;
        public Models.Forward forward;
        public float[] x;

        @Setup
        public void setup() {
            x = Models.data(GRAPH, batch).x();
            forward = Models.compiledForward(GRAPH, batch, variant);
        }
    }

    @State(Scope.Thread)
    public static class Interpreted {
        @Param({"64", "1"})
        public int batch;
        public Session session;
        public Map<String, Tensor> feeds;

        @Setup
        public void setup() {
            feeds = Models.data(GRAPH, batch).feeds(false);
            session = Models.interpreterForward(GRAPH, batch);
        }
    }

    @State(Scope.Thread)
    public static class Hand {
        @Param({"64", "1"})
        public int batch;
        public HandWritten model;
        public float[] x;

        @Setup
        public void setup() {
            x = Models.data(GRAPH, batch).x();
            model = new HandWritten(batch);
            model.setWeights(Models.reference("w1.npy").data(), Models.reference("w2.npy").data());
        }
    }

    @Benchmark
    public float[] compiled(Compiled s) {
        return s.forward.run(s.x);
    }

    @Benchmark
    public List<Tensor> interpreter(Interpreted s) {
        return s.session.run(s.feeds);
    }

    @Benchmark
    public float[] handwritten(Hand s) {
        return s.model.forward(s.x);
    }
}
