package dev.kiln.dsl;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What runs the graph for one {@code tf.Session} of a whole program ({@link TfProgram}): the command
 * line supplies one backed by the interpreter or by compiled classes. The program's graph may grow while
 * a session is open, so every call passes the graph as it stands; nodes are the program's own (unbound:
 * the batch dimension is set from the feeds). Failures are {@link dev.kiln.ir.KilnException}s whose
 * message the program's error names its line with.
 */
public interface Runner {
    /**
     * One {@code sess.run}: computes {@code fetches} and performs {@code targets} (assignments take effect
     * when the run ends) with {@code feeds}, keyed by placeholder. Every variable the run reads must have
     * been initialized.
     */
    List<Tensor> run(Graph graph, List<Node> fetches, List<Node> targets, Map<Node, Tensor> feeds);

    /** Sets {@code variables} to their initial values (what running an initializer does). */
    void initialize(Graph graph, List<Node> variables);

    /** A copy of a variable's current value; an error when it has none yet. */
    Tensor variable(Graph graph, Node variable);

    /** Sets a variable (what a restore does); the shape must match. */
    void setVariable(Graph graph, Node variable, Tensor value);

    /** Releases what the session holds; later calls are errors the program reports. */
    void close();
}
