package dev.kiln.api;

import dev.kiln.runtime.Specializations;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a graph with a {@code None} dimension once per batch size, on demand, for a dispatcher. All
 * batch sizes share one set of variables.
 */
final class Specializer implements Specializations {
    private final Graph graph;
    private final Class<?> iface;
    private final Method method;
    private final Options options;
    private final Node key;
    private final int rowSize;
    private final Map<Integer, CompiledSession> byBatch = new HashMap<>();
    private final Map<String, float[]> variables;

    Specializer(Graph graph, Class<?> iface, Method method, Options options, Node key) {
        this.graph = graph;
        this.iface = iface;
        this.method = method;
        this.options = options;
        this.key = key;
        int row = 1;
        for (int d : key.shape().dims()) {
            row *= d == Shape.UNKNOWN ? 1 : d;
        }
        this.rowSize = row;
        this.variables = CompiledSession.initialValues(graph.bind(1), options.seed);
    }

    /** The shared variables, guarded by the dispatcher's {@code guard}. */
    Variables variables(dev.kiln.runtime.RunGuard guard) {
        return new Variables(graph, variables, guard);
    }

    @Override
    public Object forFeed(float[] feed) {
        if (feed == null) {
            throw new IllegalArgumentException("feed '" + key.name() + "' is null; expected rows of shape " + key.shape()
                    + " (" + rowSize + " floats each)");
        }
        if (feed.length == 0 || feed.length % rowSize != 0) {
            throw new IllegalArgumentException("feed '" + key.name() + "': " + feed.length + " floats is not a whole number"
                    + " of rows of shape " + key.shape() + " (" + rowSize + " floats each)");
        }
        int batch = feed.length / rowSize;
        return byBatch.computeIfAbsent(batch, b -> Kiln.specialize(graph.bind(b), iface, method, options, variables)).model();
    }

    /** The first parameter's placeholder that has an unknown dimension: its length gives the batch size. */
    static int keyParam(List<Node> paramPlaceholders) {
        for (int i = 0; i < paramPlaceholders.size(); i++) {
            if (!paramPlaceholders.get(i).shape().isKnown()) {
                return i;
            }
        }
        throw new KilnException("the graph has unknown (None) dimensions but no parameter of the interface has one;"
                + " give the batch size with Options.batch(B)");
    }
}
