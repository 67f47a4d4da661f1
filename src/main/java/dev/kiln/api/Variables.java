package dev.kiln.api;

import dev.kiln.runtime.RunGuard;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The variables of a compiled graph, by name: to checkpoint them, or to start from given values. The
 * arrays are the ones the generated code works on, so reads and writes are copies made between runs.
 * Like the compiled instance, not thread-safe: reading or setting a variable while the instance is running
 * on another thread throws {@link IllegalStateException} (best-effort: a run may still start while a read
 * or write is under way).
 */
public final class Variables {
    private final Graph graph;
    private final Map<String, float[]> arrays;
    private final RunGuard guard;

    Variables(Graph graph, Map<String, float[]> arrays, RunGuard guard) {
        this.graph = graph;
        this.arrays = arrays;
        this.guard = guard;
    }

    public List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    /** A copy of the variable's current value. */
    public Tensor get(String name) {
        guard.checkBetweenRuns("read variable '" + name + "'");
        return new Tensor(shape(name), array(name).clone());
    }

    /** Sets the variable's value; the shape must match. */
    public void set(String name, Tensor value) {
        Shape s = shape(name);
        if (!s.equals(value.shape())) {
            throw new KilnException("variable '" + name + "' has shape " + s + ", got a value of shape " + value.shape());
        }
        guard.checkBetweenRuns("set variable '" + name + "'");
        System.arraycopy(value.data(), 0, array(name), 0, s.size());
    }

    Map<String, float[]> arrays() {
        return arrays;
    }

    private Shape shape(String name) {
        array(name);
        return graph.node(name).shape();
    }

    private float[] array(String name) {
        float[] a = arrays.get(name);
        if (a == null) {
            throw new KilnException("no variable named '" + name + "' (variables: " + String.join(", ", arrays.keySet()) + ")");
        }
        return a;
    }
}
