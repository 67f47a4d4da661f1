package dev.kiln.api;

import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A graph made ready to run with fixed fetches and targets, holding its variables' state. The same
 * interface whichever engine runs it, so that the interpreter (the reference) and the compiled class can
 * be swapped and compared.
 *
 * <p>Not thread-safe: use a session from one thread at a time (handing it over between runs is fine), and
 * make one per thread to run in parallel. A run, or a variable read or set, while another thread's run is
 * in progress throws {@link IllegalStateException} (see {@link dev.kiln.runtime.RunGuard}; for variables
 * the check is best-effort).
 */
public interface Session {
    /** The names of the graph's variables, in program order. */
    List<String> variableNames();

    /** A copy of a variable's current value. */
    Tensor variable(String name);

    /** Sets a variable's value; the shape must match. */
    void setVariable(String name, Tensor value);

    /**
     * One run: computes the fetches and performs the targets (assignments take effect when the run
     * ends), from feeds keyed by placeholder name. Returns the fetched values in order. With
     * {@link Options#checkNumerics}, throws {@link dev.kiln.ir.NumericsException} at the first NaN or
     * infinity, and the run changes no variable.
     */
    List<Tensor> run(Map<String, Tensor> feeds);
}
