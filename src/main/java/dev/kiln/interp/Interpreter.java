package dev.kiln.interp;

import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Op;
import dev.kiln.ir.Reachability;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference meaning of every graph: runs it op by op, as {@code Session.run} does, with each op's
 * interpreter kernel. Holds the variables' state.
 *
 * <p>Semantics, which TensorFlow 1 leaves to chance: within one run every read of a variable sees its
 * value from before the run; assignments take effect when the run ends, in no particular order (a run
 * may assign each variable at most once). {@code random_normal} is sampled from the session's seed, so
 * it has the same value on every run.
 *
 * <p>With {@link #checkNumerics} on, a run checks each node's value as soon as it is computed (or read,
 * for placeholders, variables and constants) and throws {@link NumericsException} at the first NaN or
 * infinity; as the assignments would only take effect at the end, the run changes no variable.
 *
 * <p>Not thread-safe.
 */
public final class Interpreter {
    private final Graph graph;
    private final Map<String, Node> variables = new LinkedHashMap<>();
    private final Map<String, Tensor> state = new HashMap<>();
    private long seed;
    private boolean checkNumerics;

    /** An interpreter for {@code graph}, whose shapes must all be known (see {@link Graph#bind}). */
    public Interpreter(Graph graph) {
        if (!graph.isBound()) {
            throw new KilnException("the graph has unknown (None) dimensions: bind it to a batch size first");
        }
        this.graph = graph;
        for (Node v : graph.variables()) {
            variables.put(v.name(), v);
        }
    }

    public Graph graph() {
        return graph;
    }

    /** Gives every variable its initializer's value, drawing random values from {@code seed}. */
    public void initialize(long seed) {
        this.seed = seed;
        for (Node v : variables.values()) {
            Node init = graph.initializer(v);
            if (init == null) {
                throw new KilnException(v.pos(), "variable '" + v.name() + "' has no initializer; set its value");
            }
            state.put(v.name(), evaluate(List.of(init), Map.of(), "the initializer of '" + v.name() + "'").get(0));
        }
    }

    /** Switches the numerics checks of each run on or off (they are off at first). */
    public void checkNumerics(boolean on) {
        this.checkNumerics = on;
    }

    /** Sets a variable's value; the shape must match the variable's. */
    public void setVariable(String name, Tensor value) {
        Node v = variables.get(name);
        if (v == null) {
            throw new KilnException("no variable named '" + name + "'" + known(variables.keySet()));
        }
        if (!v.shape().equals(value.shape())) {
            throw new KilnException("variable '" + name + "' has shape " + v.shape() + ", got a value of shape "
                    + value.shape());
        }
        state.put(name, new Tensor(value.shape(), value.data().clone()));
    }

    /** The current value of a variable (a copy). */
    public Tensor variable(String name) {
        Tensor t = state.get(name);
        if (t == null) {
            throw new KilnException(variables.containsKey(name) ? "variable '" + name + "' is not initialized"
                    : "no variable named '" + name + "'" + known(variables.keySet()));
        }
        return new Tensor(t.shape(), t.data().clone());
    }

    /** The names of the graph's variables, in program order. */
    public List<String> variableNames() {
        return List.copyOf(variables.keySet());
    }

    /**
     * Runs the graph: computes {@code fetches} and performs {@code targets} (assigns, or any node),
     * from {@code feeds} keyed by placeholder name. Returns the fetched values in order.
     */
    public List<Tensor> run(Map<String, Tensor> feeds, List<Node> fetches, List<Node> targets) {
        List<Node> wanted = new ArrayList<>(fetches);
        wanted.addAll(targets);
        Map<Node, Tensor> values = new IdentityHashMap<>();
        List<Tensor> all = evaluate(wanted, feeds, null, values);
        Map<String, Tensor> updates = new LinkedHashMap<>();
        for (Node n : values.keySet()) {
            if (n.op().hasSideEffect()) {
                List<Tensor> written = n.op().writes() == 1 ? List.of(values.get(n))
                        : n.op().evalWrites(n.inputs().stream().map(values::get).toList());
                for (int j = 0; j < written.size(); j++) {
                    String var = n.input(j).name();
                    if (updates.put(var, written.get(j)) != null) {
                        throw new KilnException(n.pos(), "variable '" + var + "' is assigned more than once in one run");
                    }
                }
            }
        }
        for (Map.Entry<String, Tensor> u : updates.entrySet()) {
            Tensor t = u.getValue();
            state.put(u.getKey(), new Tensor(t.shape(), t.data().clone()));
        }
        List<Tensor> fetched = new ArrayList<>(fetches.size());
        for (Tensor t : all.subList(0, fetches.size())) {
            fetched.add(new Tensor(t.shape(), t.data().clone())); // never the state or a feed itself
        }
        return fetched;
    }

    private List<Tensor> evaluate(List<Node> wanted, Map<String, Tensor> feeds, String what) {
        return evaluate(wanted, feeds, what, new IdentityHashMap<>());
    }

    /** Evaluates the nodes {@code wanted} depends on, in topological order, into {@code values}. */
    private List<Tensor> evaluate(List<Node> wanted, Map<String, Tensor> feeds, String what, Map<Node, Tensor> values) {
        List<Node> nodes = graph.nodes();
        for (Node w : wanted) {
            if (w.id() >= nodes.size() || nodes.get(w.id()) != w) {
                throw new KilnException("node " + w + " is not part of this graph");
            }
        }
        BitSet need = Reachability.ancestors(wanted);
        Feeds.check(graph, feeds);
        for (int i = need.nextSetBit(0); i >= 0; i = need.nextSetBit(i + 1)) {
            Node n = nodes.get(i);
            Tensor v = value(n, feeds, what, values);
            if (checkNumerics && what == null) {
                check(n, v);
            }
            values.put(n, v);
        }
        List<Tensor> out = new ArrayList<>(wanted.size());
        for (Node w : wanted) {
            out.add(values.get(w));
        }
        return out;
    }

    private Tensor value(Node n, Map<String, Tensor> feeds, String what, Map<Node, Tensor> values) {
        if (n.op().storage() == Op.Storage.FEED) {
            if (what != null) {
                throw new KilnException(n.pos(), what + " reads placeholder '" + n.name() + "'");
            }
            Tensor fed = feeds.get(n.name());
            if (fed == null) {
                throw Feeds.missing(n);
            }
            return fed;
        }
        if (n.op().storage() == Op.Storage.STATE) {
            if (what != null) {
                throw new KilnException(n.pos(), what + " reads variable '" + n.name() + "'");
            }
            Tensor t = state.get(n.name());
            if (t == null) {
                throw new KilnException("variable '" + n.name() + "' is not initialized");
            }
            return t;
        }
        if (n.op().storage() == Op.Storage.CONSTANT) {
            return n.op().constantValue(seed);
        }
        List<Tensor> ins = new ArrayList<>(n.inputs().size());
        for (Node in : n.inputs()) {
            ins.add(values.get(in));
        }
        return n.op().eval(ins);
    }

    private void check(Node n, Tensor v) {
        int i = NumericsException.firstNonFinite(v.data(), v.size());
        if (i >= 0) {
            throw NumericsException.of(n.pos(), NumericsException.describe(graph, n), !n.inputs().isEmpty(), n.shape(), i,
                    v.data()[i]);
        }
    }

    private static String known(java.util.Collection<String> names) {
        return names.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", names) + ")";
    }
}
