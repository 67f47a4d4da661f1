package dev.kiln.api;

import dev.kiln.dsl.Runner;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TensorFlow 1 session over a graph that may still grow: each {@link #run} names its fetches,
 * targets and feeds, as {@code sess.run} does. One variable state serves every run; each distinct run
 * (the graph as it stood, the fetches, the targets, the fed placeholders and the batch size the feeds
 * give) is compiled once, or made ready once on the interpreter, and reused, so a training loop compiles
 * its step on the first iteration and a last partial minibatch gets a class of its own.
 *
 * <p>Variables start uninitialized; {@link #initialize} gives them their initializers' values (drawn from
 * the options' seed). A run that reads a variable with no value is an error naming it. Not thread-safe.
 * It is the {@link Runner} {@code kiln exec} gives each {@code tf.Session()} of a whole program.
 */
public final class ProgramSession implements Runner {
    private final Engine engine;
    private final Options options;
    /** Every variable's array, shared by all compiled runs (they read and write these very arrays). */
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Set<String> initialized = new LinkedHashSet<>();
    private final Map<Key, Prepared> prepared = new HashMap<>();
    private final Map<Graph, Map<Node, Integer>> indices = new IdentityHashMap<>();
    private Graph lastGraph;
    private LastRun last;
    private boolean closed;

    private record Key(Graph graph, List<Integer> fetches, List<Integer> targets, List<String> fed, int batch) {}

    /**
     * The last run, by the identity of its nodes: a training loop repeats one run, and finds it here without
     * building its {@link Key} (the common case costs a few comparisons, not maps of node positions).
     */
    private record LastRun(Graph graph, List<Node> fetches, List<Node> targets, List<Node> fed, int batch,
            Prepared prepared) {
        boolean matches(Graph g, List<Node> f, List<Node> t, Map<Node, Tensor> feeds, int b) {
            if (g != graph || b != batch || !same(f, fetches) || !same(t, targets) || feeds.size() != fed.size()) {
                return false;
            }
            int i = 0;
            for (Node n : feeds.keySet()) {
                if (n != fed.get(i++)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean same(List<Node> a, List<Node> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A run made ready: its session, the variables it reads and assigns, and the placeholders it needs fed. */
    private record Prepared(Session session, List<String> reads, List<String> writes, List<String> needs,
            Interpreter interpreter) {}

    public ProgramSession(Engine engine, Options options) {
        this.engine = engine;
        this.options = options.copy();
    }

    /** How many distinct runs were made ready (compiled, on the compiled engine). */
    public int preparedRuns() {
        return prepared.size();
    }

    /**
     * Computes {@code fetches} and performs {@code targets} of {@code graph} with {@code feeds} keyed by
     * placeholder node. The graph may have grown since the last run; its nodes are the ones passed.
     */
    @Override
    public List<Tensor> run(Graph graph, List<Node> fetches, List<Node> targets, Map<Node, Tensor> feeds) {
        checkOpen();
        adopt(graph);
        int batch = batch(feeds);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Map.Entry<Node, Tensor> f : feeds.entrySet()) {
            byName.put(f.getKey().name(), f.getValue());
        }
        Prepared p = last != null && last.matches(graph, fetches, targets, feeds, batch) ? last.prepared() : null;
        if (p == null) {
            Key key = new Key(graph, positions(indices.get(graph), fetches), positions(indices.get(graph), targets),
                    new ArrayList<>(byName.keySet()), batch);
            p = prepared.get(key);
            if (p == null) {
                p = prepare(graph, key, batch);
                prepared.put(key, p);
            }
            last = new LastRun(graph, List.copyOf(fetches), List.copyOf(targets), List.copyOf(feeds.keySet()), batch, p);
        }
        for (String placeholder : p.needs()) {
            if (!byName.containsKey(placeholder)) {
                Node n = graph.node(placeholder);
                throw new KilnException("you must feed a value for placeholder '" + placeholder + "' of dtype "
                        + n.dtype().pythonName() + " and shape " + tuple(n.shape()));
            }
        }
        for (String v : p.reads()) {
            if (!initialized.contains(v)) {
                throw new KilnException("attempting to use uninitialized variable '" + v
                        + "': run tf.global_variables_initializer() (or restore it) first");
            }
        }
        if (p.interpreter() == null) {
            List<Tensor> out = p.session().run(byName);
            initialized.addAll(p.writes()); // an assignment gives a variable a value, as in TensorFlow
            return out;
        }
        // the interpreter holds arrays of its own: in go the variables the run reads or updates, out the updated
        // (an assignment's variable may have no value yet: its zeros go in, and its new value comes out)
        for (List<String> in : List.of(p.reads(), p.writes())) {
            for (String v : in) {
                p.interpreter().setVariable(v, new Tensor(graph.node(v).shape(), values.get(v)));
            }
        }
        List<Tensor> out = p.session().run(byName);
        for (String v : p.writes()) {
            System.arraycopy(p.interpreter().variable(v).data(), 0, values.get(v), 0, values.get(v).length);
            initialized.add(v);
        }
        return out;
    }

    /** Gives {@code variables} their initializers' values. */
    @Override
    public void initialize(Graph graph, List<Node> variables) {
        checkOpen();
        adopt(graph);
        if (variables.isEmpty()) {
            return;
        }
        Interpreter init = new Interpreter(graph.isBound() ? graph : graph.bind(1)); // initializers have no batch
        init.initialize(options.seed);
        for (Node v : variables) {
            float[] value = init.variable(v.name()).data();
            System.arraycopy(value, 0, values.get(v.name()), 0, value.length);
            initialized.add(v.name());
        }
    }

    /** A copy of a variable's value. */
    @Override
    public Tensor variable(Graph graph, Node variable) {
        checkOpen();
        adopt(graph);
        if (!initialized.contains(variable.name())) {
            throw new KilnException("attempting to use uninitialized variable '" + variable.name() + "'");
        }
        return new Tensor(variable.shape(), values.get(variable.name()).clone());
    }

    /** Sets a variable's value (restoring it); its shape must match. */
    @Override
    public void setVariable(Graph graph, Node variable, Tensor value) {
        checkOpen();
        adopt(graph);
        if (!variable.shape().equals(value.shape())) {
            throw new KilnException("variable '" + variable.name() + "' has shape " + variable.shape()
                    + ", got a value of shape " + value.shape());
        }
        System.arraycopy(value.data(), 0, values.get(variable.name()), 0, value.size());
        initialized.add(variable.name());
    }

    /** Ends the session: later calls are errors. */
    @Override
    public void close() {
        closed = true;
        last = null;
        prepared.clear();
        indices.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new KilnException("attempted to use a closed session");
        }
    }

    /** Notes a graph (it may have grown): arrays for its new variables, node positions for run keys. */
    private void adopt(Graph graph) {
        if (graph == lastGraph) {
            return;
        }
        lastGraph = graph;
        Map<Node, Integer> index = new IdentityHashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
            Node n = nodes.get(i);
            if (n.op().storage() == Op.Storage.STATE && !values.containsKey(n.name())) {
                values.put(n.name(), new float[n.shape().size()]);
            }
        }
        indices.put(graph, index);
    }

    private static List<Integer> positions(Map<Node, Integer> index, List<Node> nodes) {
        List<Integer> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            Integer i = index.get(n);
            if (i == null) {
                throw new KilnException("the node " + n.describe() + " is not in the session's graph");
            }
            out.add(i);
        }
        return out;
    }

    /** The batch size the feeds give their placeholders' unknown dimension; 1 when none has one. */
    private static int batch(Map<Node, Tensor> feeds) {
        int batch = -1;
        String from = null;
        for (Map.Entry<Node, Tensor> f : feeds.entrySet()) {
            Shape want = f.getKey().shape();
            Shape got = f.getValue().shape();
            for (int i = 0; i < want.rank() && i < got.rank(); i++) {
                if (want.dim(i) != Shape.UNKNOWN) {
                    continue;
                }
                if (batch >= 0 && got.dim(i) != batch) {
                    throw new KilnException("the feeds disagree on the batch size: '" + from + "' has " + batch
                            + " rows, '" + f.getKey().name() + "' has " + got.dim(i));
                }
                batch = got.dim(i);
                from = f.getKey().name();
            }
        }
        return batch < 0 ? 1 : batch;
    }

    private Prepared prepare(Graph graph, Key key, int batch) {
        Graph bound = graph.isBound() ? graph : graph.bind(batch);
        List<Node> nodes = bound.nodes();
        List<Node> fetches = new ArrayList<>();
        key.fetches().forEach(i -> fetches.add(nodes.get(i)));
        List<Node> targets = new ArrayList<>();
        key.targets().forEach(i -> targets.add(nodes.get(i)));
        List<String> reads = inputs(fetches, targets, Op.Storage.STATE);
        List<String> needs = inputs(fetches, targets, Op.Storage.FEED);
        List<String> writes = new ArrayList<>();
        for (Node t : targets) {
            t.inputs().subList(0, t.op().writes()).forEach(v -> writes.add(v.name()));
        }
        if (engine == Engine.INTERPRETER) {
            Interpreter interpreter = new Interpreter(bound);
            interpreter.checkNumerics(options.checkNumerics);
            return new Prepared(new InterpretedSession(interpreter, fetches, targets), reads, writes, needs, interpreter);
        }
        CompiledSession s = new CompiledSession(bound, fetches, targets, options.seed, options, null, null, values);
        return new Prepared(s, reads, writes, needs, null);
    }

    /** A shape as the program sees it, a Python tuple: {@code (?, 2)}, {@code (5,)}. */
    private static String tuple(Shape s) {
        List<String> dims = new ArrayList<>();
        for (int d : s.dims()) {
            dims.add(d == Shape.UNKNOWN ? "?" : Integer.toString(d));
        }
        return "(" + String.join(", ", dims) + (dims.size() == 1 ? ",)" : ")");
    }

    /**
     * The variables the run reads ({@code storage} STATE) or the placeholders it needs (FEED): those among
     * the fetches' and targets' inputs, transitively.
     */
    private static List<String> inputs(List<Node> fetches, List<Node> targets, Op.Storage storage) {
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>(fetches);
        for (Node t : targets) { // an assignment does not read its variable; an update (w -= ...) does
            todo.addAll(t.op().storage() == Op.Storage.ASSIGN ? t.inputs().subList(t.op().writes(), t.inputs().size())
                    : t.inputs());
        }
        List<String> out = new ArrayList<>();
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n.op().storage() == storage) {
                out.add(n.name());
            }
            todo.addAll(n.inputs());
        }
        return out;
    }
}
