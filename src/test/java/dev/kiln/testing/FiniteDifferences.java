package dev.kiln.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.Placeholder;
import dev.kiln.ops.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks gradients built by {@code tf.gradients} against central finite differences of the loss, both
 * computed by the reference {@link Interpreter}.
 *
 * <pre>{@code
 * FiniteDifferences.of(graph, "loss")
 *     .feed("x", x).variable("w", w)
 *     .wrt("w", grads.get(0))
 *     .verify();
 * }</pre>
 *
 * <p>The loss is the sum of the elements of its node (tf.gradients differentiates that sum), accumulated in
 * double. Each checked element {@code x} is perturbed by {@code h = relativeEpsilon * max(1, |x|)}; the
 * perturbed values are rounded to float32 and the actual difference of the rounded values is the
 * denominator. By default the estimate is Richardson-extrapolated from steps {@code h} and {@code h/2}
 * ({@code (4 D(h/2) - D(h)) / 3}), which removes the {@code h^2} truncation term. An element passes when
 * {@code |analytic - numeric| <= tolerance * max(1, |numeric|)}.
 *
 * <p>Tensors with more than {@code maxSamples} elements are checked at a seeded random sample of that many
 * distinct elements. The graph must be bound; gradient nodes may come from the builder of an unbound
 * graph that was then bound (nodes keep their ids across {@link Graph#bind}).
 *
 * <p>Use inputs that are small, well scaled and away from kinks (relu at 0, maximum at ties), and a loss of
 * moderate magnitude: the interpreter computes in float32.
 */
public final class FiniteDifferences {
    /** One compared element. */
    public record Comparison(String wrt, int flat, String index, double analytic, double numeric, boolean ok) {
        @Override
        public String toString() {
            return "d(loss)/d(" + wrt + ")" + index + ": analytic " + analytic + ", numeric " + numeric
                    + ", |diff| " + Math.abs(analytic - numeric) + (ok ? "" : "  <-- MISMATCH");
        }
    }

    private final Graph graph;
    private final Node loss;
    private final String lossName;
    private final Map<String, Tensor> feeds = new LinkedHashMap<>();
    private final Map<String, Tensor> variables = new LinkedHashMap<>();
    private final Map<String, Node> gradients = new LinkedHashMap<>();
    private double relativeEpsilon = 1e-2;
    private double[] otherEpsilons = {};
    private double noiseUlps = 0;
    private double tolerance = 1e-2;
    private int maxSamples = 200;
    private long seed = 20240601L;
    private long runSeed = 0L;
    private boolean richardson = true;
    private final Map<String, Integer> checkedCount = new LinkedHashMap<>();

    private FiniteDifferences(Graph graph, String lossName) {
        if (!graph.isBound()) {
            throw new IllegalArgumentException("the graph has None dimensions: bind it first");
        }
        this.graph = graph;
        this.lossName = lossName;
        this.loss = graph.node(lossName);
        if (loss == null) {
            throw new IllegalArgumentException("no node named '" + lossName + "' in the graph; names: "
                    + graph.names().keySet());
        }
    }

    /** A check of the gradients of the node named {@code loss} in the (bound) {@code graph}. */
    public static FiniteDifferences of(Graph graph, String loss) {
        return new FiniteDifferences(graph, loss);
    }

    public FiniteDifferences feed(String placeholder, Tensor value) {
        feeds.put(placeholder, value);
        return this;
    }

    public FiniteDifferences feeds(Map<String, Tensor> values) {
        feeds.putAll(values);
        return this;
    }

    /** The variable's value for the check; variables not given keep their initializer's value. */
    public FiniteDifferences variable(String name, Tensor value) {
        variables.put(name, value);
        return this;
    }

    public FiniteDifferences variables(Map<String, Tensor> values) {
        variables.putAll(values);
        return this;
    }

    /**
     * Checks {@code gradient} as the gradient of the loss with respect to the variable or placeholder
     * named {@code name}. The node is looked up in the graph by id, so a node of the builder the graph
     * came from (before or after binding) will do.
     */
    public FiniteDifferences wrt(String name, Node gradient) {
        gradients.put(name, inGraph(gradient));
        return this;
    }

    /** As {@link #wrt(String, Node)}, the gradient given by the name it is bound to in the graph. */
    public FiniteDifferences wrt(String name, String gradientName) {
        Node g = graph.node(gradientName);
        if (g == null) {
            throw new IllegalArgumentException("no node named '" + gradientName + "'");
        }
        gradients.put(name, g);
        return this;
    }

    /** Step relative to {@code max(1, |x|)}; default 1e-2. */
    public FiniteDifferences relativeEpsilon(double eps) {
        this.relativeEpsilon = eps;
        return this;
    }

    /**
     * More steps to try, relative like {@link #relativeEpsilon}, for an element whose estimate at the main
     * step misses: it passes if the estimate at any of the steps agrees, and the closest estimate is
     * reported. For graphs of unknown shape: in float32 a step too small drowns in the loss's rounding (a
     * loss in the thousands), one too large in truncation error (a ninth power), and no one step suits
     * both. A wrong gradient is off at every step.
     */
    public FiniteDifferences alsoSteps(double... relativeEpsilons) {
        this.otherEpsilons = relativeEpsilons.clone();
        return this;
    }

    /**
     * Also allows, at each step h, {@code ulps * ulp(loss) / h}: the error of a difference quotient whose two
     * losses are each off by {@code ulps} float32 units in the last place. Default 0. A float32 loss in the
     * hundreds of thousands carries rounding of 0.01 or more, which a step of 1% turns into an error of
     * about 1 in the quotient: such a gradient cannot be checked this way, and this says so by widening
     * the bound rather than failing.
     */
    public FiniteDifferences lossNoise(double ulps) {
        this.noiseUlps = ulps;
        return this;
    }

    /** Allowed {@code |analytic - numeric| / max(1, |numeric|)}; default 1e-2. */
    public FiniteDifferences tolerance(double tol) {
        this.tolerance = tol;
        return this;
    }

    /** At most this many elements per tensor are checked (a seeded random sample); default 200. */
    public FiniteDifferences maxSamples(int n) {
        this.maxSamples = n;
        return this;
    }

    /** Seed of the sample of elements. */
    public FiniteDifferences seed(long s) {
        this.seed = s;
        return this;
    }

    /** Seed the interpreter is initialized with (random_normal nodes and initializers). */
    public FiniteDifferences runSeed(long s) {
        this.runSeed = s;
        return this;
    }

    /** Plain central differences with step h instead of the Richardson extrapolation. */
    public FiniteDifferences plainCentral() {
        this.richardson = false;
        return this;
    }

    /** How many elements of the tensor named {@code wrt} the last {@link #compare} checked. */
    public int checkedCount(String wrt) {
        return checkedCount.getOrDefault(wrt, 0);
    }

    private Node inGraph(Node n) {
        List<Node> nodes = graph.nodes();
        if (n.id() < nodes.size()) {
            Node m = nodes.get(n.id());
            if (m == n || (m.op().name().equals(n.op().name()) && m.inputs().size() == n.inputs().size())) {
                return m;
            }
        }
        throw new IllegalArgumentException("node " + n + " is not part of the graph being checked");
    }

    /** Compares every checked element and returns all comparisons (passing and failing). */
    public List<Comparison> compare() {
        if (gradients.isEmpty()) {
            throw new IllegalStateException("nothing to check: call wrt(...)");
        }
        Interpreter interp = new Interpreter(graph);
        interp.initialize(runSeed);
        for (Map.Entry<String, Tensor> v : variables.entrySet()) {
            interp.setVariable(v.getKey(), v.getValue());
        }
        // working copies of the feeds, perturbed in place
        Map<String, Tensor> work = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> f : feeds.entrySet()) {
            Tensor t = f.getValue();
            work.put(f.getKey(), new Tensor(t.shape(), t.data().clone()));
        }

        List<String> names = new ArrayList<>(gradients.keySet());
        List<Node> gradNodes = new ArrayList<>(gradients.values());
        List<Tensor> analytic = interp.run(work, gradNodes, List.of());
        double base = loss(interp, work);
        if (!Double.isFinite(base)) {
            fail("the loss '" + lossName + "' is not finite at the given point: " + base);
        }

        List<Comparison> out = new ArrayList<>();
        checkedCount.clear();
        for (int k = 0; k < names.size(); k++) {
            String name = names.get(k);
            Node x = graph.node(name);
            if (x == null || !(x.op() instanceof Variable || x.op() instanceof Placeholder)) {
                throw new IllegalArgumentException("'" + name + "' is not a variable or placeholder of the graph");
            }
            Tensor g = analytic.get(k);
            if (!g.shape().equals(x.shape())) {
                fail("the gradient w.r.t. '" + name + "' has shape " + g.shape() + " but '" + name
                        + "' has shape " + x.shape());
            }
            boolean isVar = x.op() instanceof Variable;
            float[] values = isVar ? interp.variable(name).data() : work.get(name).data();
            int[] sample = sample(values.length, name);
            checkedCount.put(name, sample.length);
            for (int i : sample) {
                double a = g.data()[i];
                double noise = noiseUlps * Math.ulp((float) Math.abs(base));
                double step = Math.max(1.0, Math.abs(values[i]));
                double numeric = derivative(interp, work, name, isVar, values, i, relativeEpsilon);
                boolean ok = agrees(a, numeric, noise / (relativeEpsilon * step));
                for (int e = 0; e < otherEpsilons.length && !ok; e++) {
                    double other = derivative(interp, work, name, isVar, values, i, otherEpsilons[e]);
                    if (Math.abs(a - other) < Math.abs(a - numeric)) {
                        numeric = other;
                    }
                    ok = agrees(a, other, noise / (otherEpsilons[e] * step));
                }
                out.add(new Comparison(name, i, Tensors.indexText(x.shape(), i), a, numeric, ok));
            }
        }
        return out;
    }

    private boolean agrees(double analytic, double numeric, double noise) {
        return Math.abs(analytic - numeric) <= tolerance * Math.max(1.0, Math.abs(numeric)) + noise;
    }

    /** Fails, listing up to 10 mismatching elements, unless every checked element agrees. */
    public void verify() {
        List<Comparison> all = compare();
        List<Comparison> bad = all.stream().filter(c -> !c.ok()).toList();
        if (!bad.isEmpty()) {
            StringBuilder b = new StringBuilder("gradient of '" + lossName + "' disagrees with finite differences at "
                    + bad.size() + " of " + all.size() + " checked elements (tolerance " + tolerance
                    + " * max(1, |numeric|)):");
            bad.stream().limit(10).forEach(c -> b.append("\n  ").append(c));
            fail(b.toString());
        }
    }

    private int[] sample(int size, String name) {
        if (size <= maxSamples) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        Random r = new Random(seed ^ name.hashCode());
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < maxSamples; i++) { // partial Fisher-Yates
            int j = i + r.nextInt(size - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] s = Arrays.copyOf(perm, maxSamples);
        Arrays.sort(s);
        return s;
    }

    private double derivative(Interpreter interp, Map<String, Tensor> work, String name, boolean isVar,
            float[] values, int i, double epsilon) {
        float x0 = values[i];
        double h = epsilon * Math.max(1.0, Math.abs(x0));
        double d1 = central(interp, work, name, isVar, values, i, x0, h);
        if (!richardson) {
            return d1;
        }
        double d2 = central(interp, work, name, isVar, values, i, x0, h / 2);
        return d2 + (d2 - d1) / 3.0;
    }

    private double central(Interpreter interp, Map<String, Tensor> work, String name, boolean isVar,
            float[] values, int i, float x0, double h) {
        float xp = (float) (x0 + h);
        float xm = (float) (x0 - h);
        double lp = lossWith(interp, work, name, isVar, values, i, xp);
        double lm = lossWith(interp, work, name, isVar, values, i, xm);
        values[i] = x0;
        if (isVar) {
            interp.setVariable(name, new Tensor(graph.node(name).shape(), values));
        }
        return (lp - lm) / ((double) xp - (double) xm);
    }

    private double lossWith(Interpreter interp, Map<String, Tensor> work, String name, boolean isVar,
            float[] values, int i, float v) {
        values[i] = v;
        if (isVar) {
            interp.setVariable(name, new Tensor(graph.node(name).shape(), values)); // copies
        }
        return loss(interp, work);
    }

    private double loss(Interpreter interp, Map<String, Tensor> work) {
        Tensor t = interp.run(work, List.of(loss), List.of()).get(0);
        double s = 0;
        for (float f : t.data()) {
            s += f;
        }
        return s;
    }
}
