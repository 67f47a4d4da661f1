package dev.kiln.dsl;

import dev.kiln.dsl.Values.DTypeValue;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Graph;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.Functions;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NpType;
import dev.kiln.numpy.NumpyState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a whole program has besides its graph: where it prints, the sessions it opens (and the default
 * one, inside {@code with tf.Session() as sess:}), NumPy's global state, the directory its paths are
 * relative to, and the graph as built so far (rebuilt only when nodes were added since).
 */
final class ProgramState {
    private final Supplier<Runner> sessions;
    private final PrintStream out;
    private final Path workingDirectory;
    private final NumpyState numpy;
    private final Tf tf;
    private final Deque<Sessions.SessionValue> defaults = new ArrayDeque<>();
    private Graph graph;
    private int graphSize = -1;
    /** Feeds converted to float32, by array: its version, the dtype, the floats, kept while the array is unchanged. */
    private final java.util.Map<NdArray, Object[]> converted = new java.util.WeakHashMap<>();
    /** Names holding a {@link Sessions.Pending} value: the scope, the name, the value. */
    private final List<Object[]> pending = new ArrayList<>();
    private boolean defer;
    /** The names the program ever reads ({@link NameUses}). */
    private final Set<String> read;

    ProgramState(Tf tf, Supplier<Runner> sessions, PrintStream out, Path workingDirectory, long seed, Set<String> read) {
        this.read = read;
        this.tf = tf;
        this.sessions = sessions;
        this.out = out;
        this.workingDirectory = workingDirectory;
        this.numpy = new NumpyState(seed, workingDirectory);
    }

    /** The name the program gave {@code node} (or its name in the graph), or null. */
    String nameOf(dev.kiln.ir.Node node) {
        return tf.builder().nameOf(node);
    }

    /** The feeds converted so far (see {@link Sessions}), one program's, on its one thread. */
    java.util.Map<NdArray, Object[]> converted() {
        return converted;
    }

    PrintStream out() {
        return out;
    }

    NumpyState numpyState() {
        return numpy;
    }

    /** This state's conversions of Python values to NumPy's. */
    Numpy numpy() {
        return new Numpy();
    }

    Sessions.SessionValue open() {
        return new Sessions.SessionValue(sessions.get());
    }

    /** Whether the call about to run has its results unpacked straight into names. */
    void setDefer(boolean on) {
        defer = on;
    }

    /** {@link #setDefer}'s value, cleared. */
    boolean takeDefer() {
        boolean d = defer;
        defer = false;
        return d;
    }

    /** Whether the program ever reads {@code name}: a pending value bound to one it never reads is never copied out. */
    boolean isRead(String name) {
        return read.contains(name);
    }

    /** Notes that {@code scope} binds {@code name} to a pending value. */
    void pending(java.util.Map<String, Object> scope, String name, Sessions.Pending p) {
        pending.add(new Object[] {scope, name, p});
    }

    /** Copies out every pending value still bound: before a run, a restore or a close changes variables. */
    @SuppressWarnings("unchecked")
    void settle() {
        for (Object[] e : pending) {
            java.util.Map<String, Object> scope = (java.util.Map<String, Object>) e[0];
            if (scope.get((String) e[1]) == e[2]) {
                scope.put((String) e[1], ((Sessions.Pending) e[2]).value());
            }
        }
        pending.clear();
    }

    Deque<Sessions.SessionValue> defaults() {
        return defaults;
    }

    Path resolve(String path) {
        return workingDirectory.resolve(path);
    }

    /** The graph as it stands. */
    Graph graph() {
        int size = tf.builder().size();
        if (size != graphSize) {
            graph = tf.build();
            graphSize = size;
        }
        return graph;
    }

    /** Conversions between the program's values and the NumPy library's. */
    final class Numpy {
        /** {@code np.asarray(v)}. */
        NdArray asArray(Object v, SourcePos at) {
            Object a = Functions.call("asarray", List.of(arg(v)), java.util.Map.of(), numpy);
            return (NdArray) a;
        }
    }

    /** What {@code np.load} gives for an .npz archive: its arrays by name ({@code f.files}, {@code f['w1']}). */
    record NpzFile(java.util.LinkedHashMap<String, Object> arrays) {}

    /** A program value as the NumPy library takes it: lists as {@link List}, None as null, dtypes as {@link NpType}. */
    static Object arg(Object v) {
        if (v == Values.NONE) {
            return null;
        } else if (v instanceof PySeq s) {
            List<Object> items = new ArrayList<>(s.items().size());
            for (Object x : s.items()) {
                items.add(arg(x));
            }
            return items;
        } else if (v instanceof DTypeValue d) {
            NpType t = NpType.byName(d.name());
            return t != null ? t : v;
        }
        return v;
    }

    /** A value the NumPy library returned, as a program value: lists become Python lists. */
    static Object value(Object v) {
        if (v == null) {
            return Values.NONE;
        } else if (v instanceof List<?> l) {
            List<Object> items = new ArrayList<>(l.size());
            for (Object x : l) {
                items.add(value(x));
            }
            return new PySeq(items, null, false);
        } else if (v instanceof Integer i) {
            return (long) i;
        } else if (v instanceof java.util.Map<?, ?> m) {
            java.util.LinkedHashMap<String, Object> arrays = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> arrays.put(String.valueOf(k), value(x)));
            return new NpzFile(arrays);
        }
        return v;
    }
}
