package dev.kiln.bench.tf;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TensorFlow running the optimizer-trained step of the graph its subclass names ({@link TfOptimizerModel}),
 * batch 64, one thread, checked over its first {@value #CHECKED_STEPS} steps against Kiln's interpreter
 * before it is measured (a disagreement fails the run; the check's lines go to the fork's output).
 */
@State(Scope.Thread)
public abstract class TfOptimizerStep {
    static final int CHECKED_STEPS = 10;
    private final String graph;
    /** "1": one intra-op and one inter-op thread (the comparison these benchmarks are for). */
    @Param({"1"})
    public String tfThreads;
    public final int batch = 64;
    public TfOptimizerModel model;

    protected TfOptimizerStep(String graph) {
        this.graph = graph;
    }

    @Setup
    public void setup() {
        model = new TfOptimizerModel(graph, batch, tfThreads);
        model.verify(CHECKED_STEPS).forEach(System.out::println);
    }

    @TearDown
    public void tearDown() {
        model.close();
    }
}
