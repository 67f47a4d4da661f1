package dev.kiln.bench;

import dev.kiln.api.Kiln;
import dev.kiln.ir.Graph;
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
 * Compile time of the canonical training step: from the parsed graph to an instance ready to run
 * ({@code Kiln.compile(graph, TrainStep.class, options)}: optimize, plan, generate, load, initialize the
 * variables). {@code firstCompile} is the first compile in a fresh JVM (one shot per fork, so run it
 * with many forks: class loading, ASM and the interpreter-mode JIT are all in it); {@code warmCompile}
 * is the same call in a JVM that has compiled it many times already.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileTime {
    @State(Scope.Thread)
    public static class Source {
        @Param({Variants.DEFAULT})
        public String variant;
        public Graph graph;

        @Setup
        public void setup() {
            graph = Models.graph("two_layer");
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(20)
    public Object firstCompile(Source s) {
        return Kiln.compile(s.graph, Models.TrainStep.class, Variants.options(s.variant, 64));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object warmCompile(Source s) {
        return Kiln.compile(s.graph, Models.TrainStep.class, Variants.options(s.variant, 64));
    }
}
