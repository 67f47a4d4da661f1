package dev.kiln.bench.tf;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TensorFlow running the training step of the graph its subclass names, batch 64, checked over a few
 * steps against Kiln's interpreter before it is measured (see {@link TfModel#verify}).
 */
@State(Scope.Thread)
public abstract class TfStep {
    private final String graph;
    private final int checkedSteps;
    /** "1": one intra-op and one inter-op thread; "default": TensorFlow's own choice. */
    @Param({"1", "default"})
    public String tfThreads;
    public final int batch = 64;
    public TfModel model;

    protected TfStep(String graph, int checkedSteps) {
        this.graph = graph;
        this.checkedSteps = checkedSteps;
    }

    @Setup
    public void setup() {
        model = new TfModel(graph, batch, tfThreads);
        model.verify(checkedSteps);
    }

    @TearDown
    public void tearDown() {
        model.close();
    }
}
