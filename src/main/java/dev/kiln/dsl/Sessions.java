package dev.kiln.dsl;

import dev.kiln.dsl.Values.Key;
import dev.kiln.dsl.Values.Operation;
import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.io.Npz;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import dev.kiln.ir.Tensor;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NpType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tf.Session} and {@code tf.train.Saver} in a whole program. {@code sess.run(fetches, feed_dict)}
 * takes a tensor, an operation or nested lists, tuples and dicts of them, and returns the same structure
 * of NumPy values (an operation gives {@code None}; an assignment gives the variable's new value, as in
 * TensorFlow). Feeds are converted to each placeholder's dtype as TensorFlow converts them, and checked
 * against its shape; the batch dimension comes from the feeds. Each distinct run compiles once (the
 * {@link Runner} caches).
 */
final class Sessions {
    private Sessions() {}

    /** A session: its runner, and whether {@code close()} was called. */
    static final class SessionValue {
        final Runner runner;
        boolean closed;

        SessionValue(Runner runner) {
            this.runner = runner;
        }
    }

    /** {@code tf.train.Saver(var_list)}: the variables it saves. */
    record SaverValue(List<Node> variables) {}

    /** A context manager with no effect: {@code tf.Graph().as_default()}, {@code tf.name_scope(...)}. */
    record NoContext(String shown) {}

    /** {@code tf.Graph()}: the one graph a program builds. */
    record GraphValue() {}

    /**
     * The value of an assignment fetched by a run whose results are unpacked straight into names: the
     * variable's value after that run, copied out only when the program reads the name or before anything
     * changes the variable again ({@link ProgramState#settle()}), so {@code loss, _, _ = sess.run(...)}
     * in a training loop does not copy the weights on every step.
     */
    static final class Pending {
        private final SessionValue session;
        private final Node variable;
        private final Graph graph;
        private NdArray value;

        Pending(SessionValue session, Node variable, Graph graph) {
            this.session = session;
            this.variable = variable;
            this.graph = graph;
        }

        NdArray value() {
            if (value == null) {
                value = host(session.runner.variable(graph, variable), variable.dtype());
            }
            return value;
        }
    }

    /** {@code sess.as_default()}: makes a session the default one inside a {@code with}. */
    record DefaultSession(SessionValue session) {}

    /** {@code sess.run(fetches, feed_dict)} at {@code at}. */
    static Object run(ProgramState ps, SessionValue s, Object fetches, Object feedDict, SourcePos at, Source src) {
        if (s.closed) {
            throw src.error(at, "Attempted to use a closed Session.");
        }
        boolean defer = ps.takeDefer();
        ps.settle();
        Graph graph = ps.graph();
        List<Node> wanted = new ArrayList<>();
        List<Node> targets = new ArrayList<>();
        List<Node> init = new ArrayList<>();
        collect(fetches, wanted, targets, init, at, src);
        Map<Node, Tensor> feeds = feeds(ps, feedDict, at, src);
        try {
            if (!init.isEmpty()) {
                s.runner.initialize(graph, init);
            }
            List<Tensor> values = wanted.isEmpty() && targets.isEmpty() ? List.of()
                    : s.runner.run(graph, wanted, targets, feeds);
            Map<Node, Object> results = new IdentityHashMap<>();
            for (int i = 0; i < wanted.size(); i++) {
                results.putIfAbsent(wanted.get(i), host(values.get(i), wanted.get(i).dtype()));
            }
            return rebuild(fetches, results, s, graph, defer);
        } catch (NumericsException e) {
            // at the node that made the NaN, as --check-numerics promises; the run is named after it
            boolean atNode = e.pos() != null && e.pos().line() >= 1 && e.pos().file().equals(src.file());
            throw atNode ? src.error(e.pos(), e.detail() + " in the sess.run at line " + at.line(), e)
                    : src.error(at, e.detail(), e);
        } catch (KilnException e) {
            throw src.error(at, e.detail(), e);
        }
    }

    /** A value with any pending fetch in it copied out (a list of them bound to one name, say). */
    static Object settled(Object v) {
        if (v instanceof PySeq s) {
            for (int i = 0; i < s.items().size(); i++) {
                if (s.items().get(i) instanceof Sessions.Pending p) {
                    s.items().set(i, p.value());
                }
            }
        }
        return v;
    }

    /** Closes a session, after copying out what is still pending from it. */
    static void close(ProgramState ps, SessionValue s) {
        if (!s.closed) {
            ps.settle();
            s.closed = true;
            s.runner.close();
        }
    }

    /** The tensors to compute, the assignments and operations to perform, the variables to initialize. */
    private static void collect(Object f, List<Node> wanted, List<Node> targets, List<Node> init, SourcePos at, Source src) {
        if (f instanceof Node n) {
            if (n.op().storage() == Op.Storage.ASSIGN) {
                targets.add(n);
            } else {
                wanted.add(n);
            }
        } else if (f instanceof Operation o) {
            targets.addAll(o.targets());
            init.addAll(o.initialize());
        } else if (f instanceof PySeq s) {
            for (Object x : s.items()) {
                collect(x, wanted, targets, init, at, src);
            }
        } else if (f instanceof PyDict d) {
            for (Object x : d.map().values()) {
                collect(x, wanted, targets, init, at, src);
            }
        } else if (f instanceof Values.Func fn) {
            throw src.error(at, "Fetch argument " + fn.shown() + " is a function, not a tensor or an operation; call it: "
                    + fn.shown() + "()");
        } else {
            throw src.error(at, "Fetch argument " + ProgramValues.repr(f) + " has invalid type "
                    + ProgramValues.quote(Values.typeName(f)) + ", must be a tensor, an operation or a list of them");
        }
    }

    /** The fetched values in the fetches' structure. */
    private static Object rebuild(Object f, Map<Node, Object> results, SessionValue s, Graph graph, boolean defer) {
        if (f instanceof Node n) {
            if (n.op().storage() == Op.Storage.ASSIGN) {
                Pending p = new Pending(s, n.inputs().get(0), graph);
                return defer ? p : p.value();
            }
            return results.get(n);
        } else if (f instanceof Operation) {
            return Values.NONE;
        } else if (f instanceof PySeq q) {
            List<Object> items = new ArrayList<>(q.items().size());
            for (Object x : q.items()) {
                items.add(rebuild(x, results, s, graph, defer));
            }
            return new PySeq(items, null, q.isList());
        }
        PyDict d = (PyDict) f;
        LinkedHashMap<Key, Object> out = new LinkedHashMap<>();
        d.map().forEach((k, v) -> out.put(k, rebuild(v, results, s, graph, false)));
        return new PyDict(out);
    }

    /** A fetched tensor as NumPy gives it: a scalar for rank 0. */
    static NdArray host(Tensor t, DType dtype) {
        return NdArray.fromFloat32(t.data(), t.shape().dims(), npType(dtype));
    }

    static NpType npType(DType d) {
        return switch (d) {
            case FLOAT32 -> NpType.FLOAT32;
            case INT32 -> NpType.INT32;
            case INT64 -> NpType.INT64;
            case BOOL -> NpType.BOOL;
        };
    }

    private static Map<Node, Tensor> feeds(ProgramState ps, Object feedDict, SourcePos at, Source src) {
        Map<Node, Tensor> feeds = new LinkedHashMap<>();
        if (feedDict == null || feedDict == Values.NONE) {
            return feeds;
        }
        if (!(feedDict instanceof PyDict d)) {
            throw src.error(at, "feed_dict must be a dict, got " + Values.aType(feedDict));
        }
        for (Map.Entry<Key, Object> e : d.map().entrySet()) {
            if (!(e.getKey().value() instanceof Node p)) {
                throw src.error(at, "feed_dict: keys must be placeholders, got " + Values.aType(e.getKey().value()));
            }
            if (p.op().storage() != Op.Storage.FEED) {
                String name = ps.nameOf(p);
                throw src.error(at, "feed_dict: cannot feed " + (name != null ? "'" + name + "', " : "") + Values.article(
                        p.op().name()) + ": only placeholders can be fed");
            }
            feeds.put(p, feed(ps, p, e.getValue(), at, src));
        }
        return feeds;
    }

    /** One feed as the placeholder's dtype, its shape checked against the placeholder's. */
    private static Tensor feed(ProgramState ps, Node p, Object value, SourcePos at, Source src) {
        NdArray a;
        try {
            a = value instanceof NdArray x ? x : ps.numpy().asArray(value, at);
        } catch (dev.kiln.numpy.NumpyException e) {
            throw src.error(at, "cannot feed placeholder '" + p.name() + "': " + ProgramEval.numpyMessage(e));
        }
        Shape want = p.shape();
        int[] got = a.shape();
        boolean fits = got.length == want.rank();
        for (int i = 0; fits && i < got.length; i++) {
            fits = want.dim(i) == Shape.UNKNOWN || want.dim(i) == got[i];
        }
        if (!fits) {
            throw src.error(at, "cannot feed a value of shape " + tuple(got) + " to placeholder '" + p.name()
                    + "', which has shape " + tuple(want.dims()));
        }
        if (a.size() == 0) {
            throw src.error(at, "cannot feed an empty array (shape " + tuple(got) + ") to placeholder '" + p.name()
                    + "': Kiln's tensors need every dimension to be at least 1");
        }
        NpType type = npType(p.dtype());
        float[] data;
        Object[] cached = ps.converted().get(a);
        if (cached != null && (Integer) cached[0] == a.version() && cached[1] == type) {
            data = (float[]) cached[2];
        } else {
            data = type == NpType.FLOAT32 || a.dtype() == type ? a.toFloat32() : a.astype(type).toFloat32();
            ps.converted().put(a, new Object[] {a.version(), type, data});
        }
        return new Tensor(Shape.of(got), data);
    }

    /** A shape as Python prints a tuple: {@code (64, 1000)}, {@code (?, 10)} for an unknown dimension. */
    static String tuple(int[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? ", " : "").append(dims[i] == Shape.UNKNOWN ? "?" : Integer.toString(dims[i]));
        }
        return b.append(dims.length == 1 ? ",)" : ")").toString();
    }

    /** {@code saver.save(sess, path)}: every variable into an .npz archive; returns the path written. */
    static String save(ProgramState ps, SaverValue saver, SessionValue s, String path, SourcePos at, Source src) {
        Path file = ps.resolve(npz(path));
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        try {
            for (Node v : saver.variables()) {
                arrays.put(v.name(), s.runner.variable(ps.graph(), v));
            }
            Npz.write(file, arrays);
        } catch (KilnException e) {
            throw checkpointError("saver.save", e, file, npz(path), at, src);
        }
        return npz(path);
    }

    /** {@code saver.restore(sess, path)}: every variable from an .npz archive {@link #save} wrote. */
    static void restore(ProgramState ps, SaverValue saver, SessionValue s, String path, SourcePos at, Source src) {
        Path file = ps.resolve(npz(path));
        ps.settle();
        try {
            Map<String, Tensor> arrays = Npz.read(file);
            for (Node v : saver.variables()) {
                Tensor t = arrays.get(v.name());
                if (t == null) {
                    throw new KilnException(file + " has no array '" + v.name() + "' (it has: "
                            + String.join(", ", arrays.keySet()) + ")");
                }
                if (!t.shape().equals(v.shape())) {
                    throw new KilnException(file + ": array '" + v.name() + "' has shape " + tuple(t.shape().dims())
                            + ", but the variable has shape " + tuple(v.shape().dims()));
                }
                s.runner.setVariable(ps.graph(), v, t);
            }
        } catch (KilnException e) {
            throw checkpointError("saver.restore", e, file, npz(path), at, src);
        }
    }

    /**
     * A checkpoint's failure, its file named as the program named it ({@code shown}) rather than by the
     * path it resolved to in the working directory, and its directory likewise. The archive's messages
     * start with the file, then {@code :entry.npy} when one of its arrays is at fault.
     */
    private static ScriptException checkpointError(String call, KilnException e, Path file, String shown, SourcePos at,
            Source src) {
        String m = e.getMessage();
        if (!m.startsWith(file.toString())) {
            return src.error(at, call + ": " + e.detail(), e);
        }
        String rest = m.substring(file.toString().length());
        int entryEnd = rest.indexOf(".npy: ");
        if (rest.startsWith(":") && !rest.startsWith(": ") && entryEnd > 0) {
            rest = ": entry '" + rest.substring(1, entryEnd + 4) + "'" + rest.substring(entryEnd + 4);
        }
        Path dir = file.getParent();
        Path shownDir = Path.of(shown).getParent();
        if (dir != null && shownDir != null) {
            rest = rest.replace(dir.toString(), "'" + shownDir + "'");
        }
        return src.error(at, call + ": '" + shown + "'" + rest, e);
    }

    private static String npz(String path) {
        return path.endsWith(".npz") ? path : path + ".npz";
    }
}
