package dev.kiln.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The canonical training step ({@code examples/two_layer.kiln}) at batch 64: fetch {@code loss},
 * perform both assigns, from the reference case's data and weights. One benchmark method per engine;
 * the weights keep training across invocations (as they would in use), which on this problem converges
 * to a floor and stays finite.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TwoLayerStep {
    static final String GRAPH = "two_layer";

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

    @State(Scope.Thread)
    public static class Hand {
        public HandWritten model;
        public float[] x;
        public float[] y;

        @Setup
        public void setup() {
            Models.Data d = Models.data(GRAPH, StepStates.BATCH);
            x = d.x();
            y = d.y();
            model = new HandWritten(StepStates.BATCH);
            model.setWeights(Models.reference("w1.npy").data(), Models.reference("w2.npy").data());
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

    @Benchmark
    public float handwritten(Hand s) {
        return s.model.step(s.x, s.y);
    }
}
