package dev.kiln.bench;

import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.ir.Graph;
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
 * How compile time grows with the graph: from a {@link BigGraph} training graph of about {@code nodes}
 * nodes (built once, before measuring) to a session ready to run, {@code Kiln.compile(graph, options)}:
 * optimize, plan, generate, define and construct the class (the JVM verifies it then), and initialize
 * the variables. In a warm JVM, scalar backend. Linear growth shows as a constant time per 1,000 nodes
 * in the report.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileTimeBySize {
    @State(Scope.Thread)
    public static class Source {
        @Param({"1000", "2000", "5000", "10000", "20000"})
        public int nodes;
        public Graph graph;

        @Setup
        public void setup() {
            graph = BigGraph.ofAbout(nodes);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object compile(Source s) {
        return Kiln.compile(s.graph, new Options().backend("scalar"));
    }
}
