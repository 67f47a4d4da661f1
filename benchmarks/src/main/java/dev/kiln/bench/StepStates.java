package dev.kiln.bench;

import dev.kiln.api.Session;
import dev.kiln.ir.Tensor;
import java.util.Map;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The states every training-step benchmark needs, for the graph its subclass names: fetch {@code loss},
 * perform every assign, at batch {@value #BATCH}, from the graph's data ({@link Models#data}).
 */
public final class StepStates {
    static final int BATCH = 64;

    private StepStates() {}

    /** The compiled step in the variant of the run, and its feeds. */
    @State(Scope.Thread)
    public abstract static class Compiled {
        private final String graph;
        @Param({Variants.DEFAULT})
        public String variant;
        public Models.TrainStep step;
        public float[] x;
        public float[] y;

        protected Compiled(String graph) {
            this.graph = graph;
        }

        @Setup
        public void setup() {
            Models.Data d = Models.data(graph, BATCH);
            x = d.x();
            y = d.y();
            step = Models.compiledStep(graph, BATCH, variant);
        }
    }

    /** The interpreter's session for the step, and its feeds by name. */
    @State(Scope.Thread)
    public abstract static class Interpreted {
        private final String graph;
        public Session session;
        public Map<String, Tensor> feeds;

        protected Interpreted(String graph) {
            this.graph = graph;
        }

        @Setup
        public void setup() {
            feeds = Models.data(graph, BATCH).feeds(true);
            session = Models.interpreterStep(graph, BATCH);
        }
    }
}
