package dev.kiln.api;

import dev.kiln.runtime.CompiledModel;
import dev.kiln.codegen.EntryPoint;
import dev.kiln.codegen.Loader;
import dev.kiln.runtime.RunGuard;
import dev.kiln.interp.Feeds;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.runtime.Warmup;
import dev.kiln.opt.Program;
import dev.kiln.plan.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Session} run by a generated class. Holds every variable's array; the generated class works
 * on the same arrays, so reading and writing a variable between runs is a copy, never a reflective call.
 */
final class CompiledSession implements Session {
    private final Graph graph;
    private final Compiler.Compiled compiled;
    private final CompiledModel model;
    private final Map<String, float[]> variables = new LinkedHashMap<>();
    private final float[][] arrays;
    private final float[][] feedArrays;
    private final RunGuard guard = RunGuard.forSession();
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
    /**
     * How long a session for the vector backend waits, before it can run, for the shared kernels to be
     * compiled by C2 ({@link Warmup}): under a second from the JVM's start on this project's VM. Until then
     * a run would be slower, never different.
     */
    static final long WARMUP_WAIT_MS = 10_000;

    /**
     * Compiles {@code graph}. Its variables start from their initializers (drawn from {@code seed}), or are
     * the arrays of {@code shared} when given (several batch sizes of one graph share their variables).
     */
    CompiledSession(Graph graph, List<Node> fetches, List<Node> targets, long seed, Options o, Class<?> iface,
            Function<List<Node>, EntryPoint> entry, Map<String, float[]> shared) {
        this.graph = graph;
        dev.kiln.codegen.Backend backend = dev.kiln.codegen.Backend.choose(o.backend);
        if (backend == dev.kiln.codegen.Backend.VECTOR) {
            Warmup.start(); // on its own thread, while this one compiles
        }
        if (shared != null) {
            variables.putAll(shared);
        } else {
            variables.putAll(initialValues(graph, seed));
        }
        this.compiled = Compiler.compile(new Program(graph, fetches, targets), o, iface, entry);
        List<Buffer> fields = compiled.plan().fields();
        arrays = new float[fields.size()][];
        for (Buffer b : fields) {
            arrays[b.index()] = switch (b.kind()) {
                case VARIABLE -> variables.get(b.variable());
                case CONSTANT -> b.constant().data().clone();
                default -> new float[b.size()];
            };
        }
        dev.kiln.runtime.WorkerPool pool = compiled.usesPool() ? new dev.kiln.runtime.WorkerPool(o.threads) : null;
        if (backend == dev.kiln.codegen.Backend.VECTOR && !Warmup.await(WARMUP_WAIT_MS)) {
            System.getLogger("dev.kiln").log(System.Logger.Level.DEBUG, "kernel warm-up: " + Warmup.outcome());
        }
        this.model = Loader.instantiate(compiled.lookup(), compiled.bytes(), arrays, iface, pool);
        if (pool != null) {
            CLEANER.register(model, pool::close); // the workers stop when the instance is collected
        }
        this.feedArrays = new float[compiled.plan().feeds().size()][];
    }

    /** Every variable's initial value, from its initializer, as arrays. */
    static Map<String, float[]> initialValues(Graph graph, long seed) {
        Interpreter init = new Interpreter(graph);
        init.initialize(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String v : init.variableNames()) {
            values.put(v, init.variable(v).data());
        }
        return values;
    }

    Variables variables() {
        return new Variables(graph, variables, model.runGuard());
    }

    CompiledModel model() {
        return model;
    }

    Compiler.Compiled compiled() {
        return compiled;
    }

    @Override
    public List<String> variableNames() {
        return List.copyOf(variables.keySet());
    }

    @Override
    public Tensor variable(String name) {
        guard.checkBetweenRuns("read variable '" + name + "'");
        float[] a = variables.get(name);
        if (a == null) {
            throw new KilnException("no variable named '" + name + "' (variables: " + String.join(", ", variables.keySet()) + ")");
        }
        return new Tensor(graph.node(name).shape(), a.clone());
    }

    @Override
    public void setVariable(String name, Tensor value) {
        guard.checkBetweenRuns("set variable '" + name + "'");
        float[] a = variables.get(name);
        if (a == null) {
            throw new KilnException("no variable named '" + name + "' (variables: " + String.join(", ", variables.keySet()) + ")");
        }
        if (!graph.node(name).shape().equals(value.shape())) {
            throw new KilnException("variable '" + name + "' has shape " + graph.node(name).shape()
                    + ", got a value of shape " + value.shape());
        }
        System.arraycopy(value.data(), 0, a, 0, a.length);
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> feeds) {
        guard.enter(); // feedArrays and the fetched arrays are this session's alone
        try {
            return runGuarded(feeds);
        } finally {
            guard.exit();
        }
    }

    private List<Tensor> runGuarded(Map<String, Tensor> feeds) {
        Feeds.check(graph, feeds);
        List<Node> needed = compiled.plan().feeds();
        for (int i = 0; i < needed.size(); i++) {
            Tensor t = feeds.get(needed.get(i).name());
            if (t == null) {
                throw Feeds.missing(needed.get(i));
            }
            feedArrays[i] = t.data();
        }
        try {
            model.execute(feedArrays);
        } finally {
            java.util.Arrays.fill(feedArrays, null);
        }
        List<Tensor> out = new ArrayList<>();
        List<Node> fetches = compiled.optimized().fetches();
        for (int i = 0; i < fetches.size(); i++) {
            Node f = fetches.get(i);
            float[] a = arrays[compiled.plan().fetches().get(i).index()];
            out.add(new Tensor(f.shape(), java.util.Arrays.copyOf(a, f.shape().size())));
        }
        return out;
    }
}
