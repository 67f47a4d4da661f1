package dev.kiln.bench;

import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Tensor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The canonical job as users meet it: in a fresh JVM, compile the training step and run its first
 * {@value #STEPS} steps on the reference data (one shot per fork, so run with many forks). The graph is
 * parsed and the data read in the setup, as TensorFlow's twin builds its graph there; class loading,
 * the JIT and the shared kernels' warm-up are all in the measurement. {@code steps} times the same
 * {@value #STEPS} steps after a compile made in the setup: divided by {@value #STEPS}, the mean of the
 * first steps, to set beside the steady-state step of {@link TwoLayerStep}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class FirstSteps {
    static final int STEPS = 500;
    static final String GRAPH = "two_layer";

    @State(Scope.Thread)
    public static class Source {
        @Param({Variants.DEFAULT})
        public String variant;
        public Graph graph;
        public float[] x;
        public float[] y;

        @Setup
        public void setup() {
            graph = Models.graph(GRAPH);
            Models.Data d = Models.data(GRAPH, StepStates.BATCH);
            x = d.x();
            y = d.y();
        }
    }

    /** A step compiled in the setup, from the reference data and weights. */
    @State(Scope.Thread)
    public static class Compiled extends StepStates.Compiled {
        public Compiled() {
            super(GRAPH);
        }
    }

    /** Compile, then the first steps. */
    @Benchmark
    public float compiled(Source s) {
        Models.TrainStep step = Kiln.compile(s.graph, Models.TrainStep.class, Variants.options(s.variant, StepStates.BATCH));
        Models.initialize(step, GRAPH);
        float loss = 0;
        for (int t = 0; t < STEPS; t++) {
            loss = step.run(s.x, s.y);
        }
        return loss;
    }

    /** The first steps of a step compiled in the setup. */
    @Benchmark
    public float steps(Compiled s) {
        float loss = 0;
        for (int t = 0; t < STEPS; t++) {
            loss = s.step.run(s.x, s.y);
        }
        return loss;
    }

    /** The interpreter's feeds, read in the setup; no variant, so that it runs once per fork, not per variant. */
    @State(Scope.Thread)
    public static class Feeds {
        public Map<String, Tensor> feeds;

        @Setup
        public void setup() {
            feeds = Models.data(GRAPH, StepStates.BATCH).feeds(true);
        }
    }

    /** The interpreter: a session, then the first steps. */
    @Benchmark
    public float interpreter(Feeds s) {
        Session session = Models.interpreterStep(GRAPH, StepStates.BATCH);
        float loss = 0;
        for (int t = 0; t < STEPS; t++) {
            loss = session.run(s.feeds).get(0).item();
        }
        return loss;
    }
}
