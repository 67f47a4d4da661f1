package dev.kiln.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What Adam costs over SGD on the canonical graph: the canonical training step ({@code sgd}:
 * {@code examples/two_layer.kiln}, the hand-written SGD assigns) and the same graph trained by
 * {@code tf.train.AdamOptimizer(1e-4).minimize(loss)} ({@code adam}: {@code benchmarks/graphs/two_layer_adam.kiln}),
 * compiled in the same variant and measured in the same run, both at batch 64 from the reference case's
 * data and weights. Fetch {@code loss}, perform every assign (Adam's: w, its slots m and v, and the powers of
 * the betas). The weights keep training across invocations, as they would in use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdamStep {
    static final String SGD = "two_layer";
    static final String ADAM = "two_layer_adam";

    @State(Scope.Thread)
    public static class Sgd extends StepStates.Compiled {
        public Sgd() {
            super(SGD);
        }
    }

    @State(Scope.Thread)
    public static class Adam extends StepStates.Compiled {
        public Adam() {
            super(ADAM);
        }
    }

    @Benchmark
    public float sgd(Sgd s) {
        return s.step.run(s.x, s.y);
    }

    @Benchmark
    public float adam(Adam s) {
        return s.step.run(s.x, s.y);
    }
}
