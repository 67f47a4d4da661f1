package dev.kiln.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.dsl.Tf;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/** Shared helpers for the optimizer tests: building programs, reading listings, differential runs. */
final class OptTesting {
    private OptTesting() {}

    // ---- programs

    /** A program over {@code graph} (bound to {@code batch}) fetching the named nodes, targeting every assign. */
    static Program program(Graph graph, int batch, String... fetches) {
        Graph g = graph.bind(batch);
        List<Node> f = new ArrayList<>();
        for (String name : fetches) {
            Node n = g.node(name);
            if (n == null) {
                throw new IllegalArgumentException("no node named " + name);
            }
            f.add(n);
        }
        return new Program(g, f, g.sideEffects());
    }

    /** {@link #program} with batch 1 (for graphs without unknown dimensions). */
    static Program program(Tf tf, String... fetches) {
        return program(tf.build(), 1, fetches);
    }

    /** Runs {@code pass} and checks the IR invariants afterwards. */
    static Program run(Pass pass, Program p) {
        Verifier.verify(p, "input");
        Program out = pass.run(p);
        Verifier.verify(out, pass.name());
        return out;
    }

    /** Runs the whole standard pipeline. */
    static Program optimize(Program p, String... disabled) {
        return Pipeline.optimize(p, Set.of(disabled), (name, q) -> {});
    }

    // ---- listings

    /** The listing, one line per node then the fetch and target lines, with the {@code # name file:line} comments stripped. */
    static List<String> lines(Program p) {
        List<String> out = new ArrayList<>();
        for (String line : p.toString().split("\n")) {
            out.add(strip(line));
        }
        return out;
    }

    static String strip(String line) {
        int hash = line.indexOf("   #");
        return hash >= 0 ? line.substring(0, hash) : line.stripTrailing();
    }

    /** {@link #lines} joined with newlines: for readable failure messages. */
    static String text(Program p) {
        return String.join("\n", lines(p)) + "\n";
    }

    /** The listing lines of the nodes only, without {@code %id f32[shape] = }. */
    static List<String> ops(Program p) {
        List<String> out = new ArrayList<>();
        for (Node n : p.graph().nodes()) {
            String line = strip(IrPrinter.line(p.graph(), n));
            out.add(line.substring(line.indexOf(" = ") + 3));
        }
        return out;
    }

    /** How many nodes run op {@code opName}. */
    static long count(Program p, String opName) {
        return p.graph().nodes().stream().filter(n -> n.op().name().equals(opName)).count();
    }

    static List<Node> nodes(Program p, String opName) {
        return p.graph().nodes().stream().filter(n -> n.op().name().equals(opName)).toList();
    }

    /** The only node running {@code opName}; fails when there is not exactly one. */
    static Node only(Program p, String opName) {
        List<Node> ns = nodes(p, opName);
        assertEquals(1, ns.size(), () -> "expected exactly one " + opName + " node in\n" + text(p));
        return ns.get(0);
    }

    /** Asserts that {@code p} has exactly the given number of nodes of each op (op, count, op, count, ...). */
    static void assertCounts(Program p, Object... opAndCount) {
        for (int i = 0; i < opAndCount.length; i += 2) {
            String op = (String) opAndCount[i];
            long want = ((Number) opAndCount[i + 1]).longValue();
            assertEquals(want, count(p, op), () -> "number of " + op + " nodes in\n" + text(p));
        }
    }

    static void assertListing(Program p, String... expected) {
        assertEquals(String.join("\n", expected) + "\n", text(p));
    }

    // ---- values

    /** True when |a - b| <= tol * max(1, |a|, |b|); NaNs and infinities must agree exactly. */
    static boolean close(float a, float b, double tol) {
        if (Float.isNaN(a) || Float.isNaN(b) || Float.isInfinite(a) || Float.isInfinite(b)) {
            return Float.compare(a, b) == 0 || (Float.isNaN(a) && Float.isNaN(b));
        }
        double scale = Math.max(1.0, Math.max(Math.abs((double) a), Math.abs((double) b)));
        return Math.abs((double) a - (double) b) <= tol * scale;
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), () -> what + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            if (!close(e[i], a[i], tol)) {
                fail(what + ": element " + i + " of " + expected.shape() + " differs: expected " + e[i] + " but was "
                        + a[i] + " (|diff| " + Math.abs(e[i] - a[i]) + ")");
            }
        }
    }

    /** Feeds for every placeholder of {@code g}: values from {@code valueFor(name, shape)}. */
    static Map<String, Tensor> feeds(Graph g, Function<Node, Tensor> valueFor) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (Node p : g.placeholders()) {
            f.put(p.name(), valueFor.apply(p));
        }
        return f;
    }

    /** Uniform values in [-1, 1) for a placeholder or variable, a function of {@code seed} and its name. */
    static Tensor uniform(long seed, Node source) {
        Random r = new Random(seed * 31 + source.name().hashCode());
        float[] d = new float[source.shape().size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = 2 * r.nextFloat() - 1;
        }
        return new Tensor(source.shape(), d);
    }

    /**
     * The differential check: runs {@code original} and {@code optimized} with the interpreter for
     * {@code steps} steps from the same variable values (the original's initializers, drawn with
     * {@code seed}) and the same feeds, and compares every fetch and every variable after each step.
     */
    static void assertSameRuns(Program original, Program optimized, Map<String, Tensor> feeds, long seed, int steps,
            double tol) {
        assertSameRuns(original, optimized, feeds, seed, steps, tol, Double.POSITIVE_INFINITY);
    }

    /**
     * As above, but stops comparing once training has diverged: when a value of the original run is not
     * finite or exceeds {@code divergedAbove} in magnitude. From there, reassociating the arithmetic (which
     * the optimizer may do) legitimately changes where values overflow, so an inf or NaN can appear in one
     * run and not in the other.
     */
    static void assertSameRuns(Program original, Program optimized, Map<String, Tensor> feeds, long seed, int steps,
            double tol, double divergedAbove) {
        Interpreter a = new Interpreter(original.graph());
        if (original.graph().variables().stream().allMatch(v -> original.graph().initializer(v) != null)) {
            a.initialize(seed);
        } else { // e.g. after dead-code elimination: values from the seed
            for (Node v : original.graph().variables()) {
                a.setVariable(v.name(), uniform(seed, v));
            }
        }
        Interpreter b = new Interpreter(optimized.graph());
        Set<String> optimizedVars = Set.copyOf(b.variableNames());
        for (String v : optimizedVars) {
            b.setVariable(v, a.variable(v));
        }
        Map<String, Tensor> initial = new LinkedHashMap<>();
        for (String v : a.variableNames()) {
            initial.put(v, a.variable(v));
        }
        assertEquals(original.fetches().size(), optimized.fetches().size(), "number of fetches");
        Map<String, Tensor> optimizedFeeds = new LinkedHashMap<>(); // placeholders nobody needs may be gone
        for (Node p : optimized.graph().placeholders()) {
            optimizedFeeds.put(p.name(), feeds.get(p.name()));
        }
        for (int step = 0; step < steps; step++) {
            List<Tensor> ra = a.run(feeds, original.fetches(), original.targets());
            List<Tensor> rb = b.run(optimizedFeeds, optimized.fetches(), optimized.targets());
            if (diverged(ra, divergedAbove) || diverged(a.variableNames().stream().map(a::variable).toList(),
                    divergedAbove)) {
                return;
            }
            for (int k = 0; k < ra.size(); k++) {
                assertClose(ra.get(k), rb.get(k), tol, "step " + step + ", fetch " + k + " ("
                        + original.graph().nameOf(original.fetches().get(k)) + ")");
            }
            for (String v : a.variableNames()) {
                Tensor want = a.variable(v);
                Tensor got = optimizedVars.contains(v) ? b.variable(v) : initial.get(v);
                assertClose(want, got, tol, "step " + step + ", variable " + v
                        + (optimizedVars.contains(v) ? "" : " (absent from the optimized graph, so never assigned)"));
            }
        }
    }

    private static boolean diverged(List<Tensor> values, double above) {
        for (Tensor t : values) {
            for (float x : t.data()) {
                if (!Float.isFinite(x) || Math.abs(x) > above) {
                    return true;
                }
            }
        }
        return false;
    }

    static void assertNoneOf(Program p, String... opNames) {
        for (String op : opNames) {
            assertTrue(count(p, op) == 0, () -> "expected no " + op + " node in\n" + text(p));
        }
    }
}
