package dev.kiln.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Differential testing of the compiled engine against the interpreter (the reference): both run the same
 * bound graph with the same seed and feeds, and after every run the fetched values and every variable
 * must agree to {@code |a - b| <= 1e-4 * max(1, |a|, |b|)} (the summation order of the two engines may
 * differ). NaNs must be NaN in both, infinities equal.
 */
public final class Differential {
    /** Relative (and, below magnitude 1, absolute) tolerance. */
    public static final double TOLERANCE = 1e-4;
    /** The seed both sessions draw their initial values from. */
    public static final long SEED = 7;

    private Differential() {}

    /** A bound graph with what one run fetches and performs and what it is fed. */
    public record Case(String name, Graph graph, List<String> fetches, List<Node> targets, Map<String, Tensor> feeds) {
        @Override
        public String toString() {
            return name;
        }

        public List<Node> fetchNodes() {
            return fetches.stream().map(f -> Kiln.resolve(graph, f)).toList();
        }
    }

    /** True when a and b agree to the tolerance. */
    public static boolean close(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Float.isNaN(a) && Float.isNaN(b);
        }
        if (Float.isInfinite(a) || Float.isInfinite(b)) {
            return a == b;
        }
        double bound = TOLERANCE * Math.max(1.0, Math.max(Math.abs((double) a), Math.abs((double) b)));
        return Math.abs((double) a - b) <= bound;
    }

    /** Fails naming {@code what}, the first differing element and both values unless the tensors agree. */
    public static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            if (!close(e[i], a[i])) {
                int bad = 0;
                for (int j = 0; j < e.length; j++) {
                    bad += close(e[j], a[j]) ? 0 : 1;
                }
                fail(what + ": element " + i + " of " + e.length + " (shape " + expected.shape() + "): interpreter "
                        + e[i] + ", compiled " + a[i] + " (|diff| " + Math.abs((double) e[i] - a[i]) + "); " + bad
                        + " element(s) differ");
            }
        }
    }

    /** An interpreter session and a compiled session for {@code c}, with the same seed. */
    public static Session[] sessions(Case c) {
        return sessions(c, new Options());
    }

    /** Like {@link #sessions(Case)}, the compiled session built with {@code compiled} (its seed is replaced). */
    public static Session[] sessions(Case c, Options compiled) {
        return new Session[] {
            Kiln.session(c.graph(), c.fetches(), c.targets(), Engine.INTERPRETER, SEED),
            Kiln.session(c.graph(), c.fetches(), c.targets(), Engine.COMPILED, compiled.seed(SEED))
        };
    }

    /**
     * Runs {@code c} {@code steps} times on both engines, comparing every fetch and every variable after
     * each run (and the variables before the first). Returns the interpreter's fetches of the last run.
     */
    public static List<Tensor> compare(Case c, int steps) {
        return compare(c, steps, false);
    }

    /**
     * Like {@link #compare(Case, int)}; with {@code resync}, after each run's comparison the compiled
     * session's variables are set to the interpreter's, so each run is checked from the same state and
     * rounding differences cannot grow over the steps (for graphs of unknown conditioning).
     */
    public static List<Tensor> compare(Case c, int steps, boolean resync) {
        return compare(c, steps, resync, new Options());
    }

    /** Like {@link #compare(Case, int, boolean)}, the compiled session built with {@code compiled}. */
    public static List<Tensor> compare(Case c, int steps, boolean resync, Options compiled) {
        Session[] s = sessions(c, compiled);
        Session ref = s[0];
        Session got = s[1];
        assertEquals(ref.variableNames(), got.variableNames(), c.name() + ": variable names");
        compareVariables(c.name() + ", before the first run", ref, got);
        List<Tensor> last = null;
        for (int step = 0; step < steps; step++) {
            List<Tensor> r = ref.run(c.feeds());
            List<Tensor> g = got.run(c.feeds());
            assertEquals(r.size(), g.size(), c.name() + ": number of fetches");
            for (int i = 0; i < r.size(); i++) {
                assertClose(c.name() + ", run " + step + ", fetch '" + c.fetches().get(i) + "'", r.get(i), g.get(i));
            }
            compareVariables(c.name() + ", after run " + step, ref, got);
            if (resync) {
                for (String v : ref.variableNames()) {
                    got.setVariable(v, ref.variable(v));
                }
            }
            last = r;
        }
        return last;
    }

    /** Every variable of the two sessions agrees. */
    public static void compareVariables(String where, Session ref, Session got) {
        for (String v : ref.variableNames()) {
            assertClose(where + ", variable '" + v + "'", ref.variable(v), got.variable(v));
        }
    }
}
