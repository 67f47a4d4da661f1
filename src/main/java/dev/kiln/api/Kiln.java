package dev.kiln.api;

import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The entry point: compiles graphs and makes sessions that run them.
 *
 * <p>Threads: these methods may be called from several threads at once, also on one {@link Graph} (which is
 * immutable). What they return is not thread-safe: a compiled instance, a {@link Session} and their
 * {@link Variables} must be used by one thread at a time; compile one per thread to run in parallel.
 * Handing one from thread to thread between runs is fine. Two threads running one instance at once get an
 * {@link IllegalStateException} naming the other thread, instead of mixed-up results (see
 * {@link dev.kiln.runtime.RunGuard}). The architecture document's "Threads" section has the whole list.
 */
public final class Kiln {
    private Kiln() {}

    /**
     * A session running {@code graph} (whose shapes must be bound) that fetches the nodes named in
     * {@code fetches} and performs {@code targets}, with every variable initialized from its initializer
     * using {@code seed}.
     */
    public static Session session(Graph graph, List<String> fetches, List<Node> targets, Engine engine, long seed) {
        return session(graph, fetches, targets, engine, new Options().seed(seed));
    }

    /**
     * Like {@link #session(Graph, List, List, Engine, long)}, with the seed, passes, dumps and numerics
     * checks from {@code options}.
     */
    public static Session session(Graph graph, List<String> fetches, List<Node> targets, Engine engine, Options options) {
        long seed = options.seed;
        List<Node> fetchNodes = new ArrayList<>();
        for (String f : fetches) {
            fetchNodes.add(resolve(graph, f));
        }
        return switch (engine) {
            case INTERPRETER -> {
                Interpreter interpreter = new Interpreter(graph);
                interpreter.initialize(seed);
                interpreter.checkNumerics(options.checkNumerics);
                yield new InterpretedSession(interpreter, fetchNodes, List.copyOf(targets));
            }
            case COMPILED -> new CompiledSession(graph, fetchNodes, List.copyOf(targets), seed, options, null, null, null);
        };
    }

    /**
     * Compiles {@code graph} into an instance of a generated class implementing {@code iface}, whose one
     * method runs the whole step: e.g. {@code interface TrainStep { float run(float[] x, float[] y); }}.
     * Parameters are bound to placeholders by name (when {@code iface} was compiled with
     * {@code -parameters}) or by position; the result is the first fetch (its only element for
     * {@code float}). With {@link Options#batch} the {@code None} dimension is bound now; otherwise on the
     * first call, from the feeds' lengths, with one compiled class kept per batch size.
     *
     * <p>A feed of the wrong length, or null, throws {@link IllegalArgumentException} naming the
     * placeholder and the lengths. With {@link Options#checkNumerics}, a call meeting a NaN or an
     * infinity throws {@link dev.kiln.ir.NumericsException} and changes no variable. The instance is not
     * thread-safe; compile one per thread: a call while another thread's call is in progress throws
     * {@link IllegalStateException}. The array returned by a {@code float[]} method is reused by the next
     * call.
     */
    public static <T> T compile(Graph graph, Class<T> iface, Options options) {
        java.lang.reflect.Method m = InterfaceBinding.method(iface);
        List<Node> params = InterfaceBinding.placeholders(m, graph, roots(graph, m, options));
        if (options.batch != null || graph.isBound()) {
            Graph bound = options.batch != null ? graph.bind(options.batch) : graph;
            CompiledSession s = specialize(bound, iface, m, options, null);
            REGISTRY.put(s.model(), s.variables());
            return iface.cast(s.model());
        }
        Specializer spec = new Specializer(graph, iface, m, options.copy(), params.get(Specializer.keyParam(params)));
        java.lang.invoke.MethodHandles.Lookup lookup = dev.kiln.codegen.Loader.lookupFor(iface);
        String name = dev.kiln.codegen.Loader.internalName(lookup, "Kiln_" + Compiler.className(graph.sourceFile()) + "_dispatch");
        byte[] bytes = dev.kiln.codegen.DispatcherGenerator.generate(name, iface, m, Specializer.keyParam(params));
        try {
            Object d = dev.kiln.codegen.Loader.define(lookup, bytes, iface)
                    .getConstructor(dev.kiln.runtime.Specializations.class).newInstance(spec);
            REGISTRY.put(d, spec.variables(((dev.kiln.runtime.RunGuard.Owner) d).runGuard()));
            return iface.cast(d);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not load the dispatcher:\n" + dev.kiln.codegen.Listing.of(bytes), e);
        }
    }

    /** {@link #compile(Graph, Class, Options)} with default options: fetch {@code loss}, perform every assign. */
    public static <T> T compile(Graph graph, Class<T> iface) {
        return compile(graph, iface, new Options());
    }

    /** The generic form: a session running the compiled graph, taking feeds by name and returning the fetches. */
    public static Session compile(Graph graph, Options options) {
        Graph bound = options.batch != null ? graph.bind(options.batch) : graph;
        return session(bound, options.fetchNames(), targets(bound, options), Engine.COMPILED, options);
    }

    /** The variables of an instance {@link #compile(Graph, Class, Options)} returned, to read or set by name. */
    public static Variables variables(Object compiled) {
        Variables v = REGISTRY.get(compiled);
        if (v == null) {
            throw new KilnException("not an instance compiled by Kiln.compile: " + compiled);
        }
        return v;
    }

    private static final Map<Object, Variables> REGISTRY = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The fetches of a compiled entry point: none for a void method when the default {@code loss} is absent. */
    private static List<Node> fetches(Graph g, java.lang.reflect.Method m, Options o) {
        List<String> names = m.getReturnType() == void.class && g.node("loss") == null && o.fetches.equals(List.of("loss"))
                ? List.of() : o.fetchNames();
        List<Node> fetches = new ArrayList<>();
        for (String f : names) {
            fetches.add(resolve(g, f));
        }
        return fetches;
    }

    private static List<Node> roots(Graph g, java.lang.reflect.Method m, Options o) {
        List<Node> roots = new ArrayList<>(fetches(g, m, o));
        roots.addAll(targets(g, o));
        return roots;
    }

    static CompiledSession specialize(Graph bound, Class<?> iface, java.lang.reflect.Method m, Options o,
            Map<String, float[]> shared) {
        List<Node> fetches = fetches(bound, m, o);
        List<String> fetchNames = o.fetchNames();
        if (m.getReturnType() != void.class && fetches.isEmpty()) {
            throw new KilnException(InterfaceBinding.where(m) + " returns a value but nothing is fetched; use Options.fetch");
        }
        if (m.getReturnType() == float.class && fetches.get(0).shape().size() != 1) {
            throw new KilnException(InterfaceBinding.where(m) + " returns a float but the fetch '" + fetchNames.get(0)
                    + "' has shape " + fetches.get(0).shape() + "; return float[] instead");
        }
        List<Node> params = InterfaceBinding.placeholders(m, bound, roots(bound, m, o));
        return new CompiledSession(bound, fetches, targets(bound, o), o.seed, o, m.getDeclaringClass(),
                feeds -> dev.kiln.codegen.EntryPoint.of(m.getDeclaringClass(), m, InterfaceBinding.feedOfParam(m, params, feeds)),
                shared);
    }

    private static List<Node> targets(Graph g, Options o) {
        if (o.targets == null) {
            return g.sideEffects();
        }
        List<Node> t = new ArrayList<>();
        for (String name : o.targets) {
            t.add(resolve(g, name));
        }
        return t;
    }

    /** The node bound to {@code name}, or an error listing the names there are. */
    public static Node resolve(Graph graph, String name) {
        Node n = graph.node(name);
        if (n == null) {
            throw new KilnException("no node named '" + name + "' in " + graph.sourceFile()
                    + " (names: " + String.join(", ", graph.names().keySet()) + ")");
        }
        return n;
    }
}
