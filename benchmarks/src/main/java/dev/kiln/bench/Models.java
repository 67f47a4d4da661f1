package dev.kiln.bench;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.dsl.Script;
import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmarked graphs and their data, shared by every engine so that all of them run the same
 * computation from the same starting point.
 *
 * <ul>
 *   <li>{@code two_layer}: {@code examples/two_layer.kiln}, the canonical program, fed and initialized
 *       with the reference case ({@code src/test/resources/reference/seed-2layer}).
 *   <li>{@code elementwise}: {@code benchmarks/graphs/elementwise.kiln}, x [64,1024].
 *   <li>{@code mlp4}: {@code benchmarks/graphs/mlp4.kiln}, four 256x256 layers.
 *   <li>{@code two_layer_adam}: {@code benchmarks/graphs/two_layer_adam.kiln}, the canonical graph trained
 *       with {@code AdamOptimizer(1e-4)}, with the canonical program's data and starting weights; and,
 *       for checks only, the same graph with the optimizers of {@link #TWO_LAYER_OPTIMIZERS}.
 *   <li>{@code digits_mlp}: {@code examples/digits_mlp.kiln}, fed the first rows of the digits' training
 *       set ({@code examples/data/digits}; the labels are int64, held as floats).
 * </ul>
 *
 * For elementwise and mlp4, the feeds are drawn from {@link #DATA_SEED}; for them and digits_mlp, the
 * variables come from Kiln's initializers with seed 0 (the same values are handed to TensorFlow).
 */
public final class Models {
    private Models() {}

    /** Seed of the random feeds of the graphs that have no reference data. */
    public static final long DATA_SEED = 42;

    /** What a training step looks like to the compiled engine. */
    public interface TrainStep {
        float run(float[] x, float[] y);
    }

    /** What a forward pass looks like to the compiled engine: the returned array is reused. */
    public interface Forward {
        float[] run(float[] x);
    }

    /** The names of the graphs, as used in the benchmark and report. */
    public static final List<String> GRAPHS = List.of("two_layer", "elementwise", "mlp4");

    /** The graphs trained by {@code tf.train} optimizers, each with its own benchmark and TensorFlow twin. */
    public static final List<String> OPTIMIZER_GRAPHS = List.of("two_layer_adam", "digits_mlp");

    /**
     * Graphs for checks only: {@code two_layer_adam.kiln} with its optimizer replaced by another of
     * TensorFlow's, keyed by graph name.
     */
    public static final Map<String, String> TWO_LAYER_OPTIMIZERS = Map.of(
            "two_layer_momentum", "tf.train.MomentumOptimizer(1e-6, 0.9)",
            "two_layer_nesterov", "tf.train.MomentumOptimizer(1e-6, 0.9, use_nesterov=True)",
            "two_layer_rmsprop", "tf.train.RMSPropOptimizer(1e-4)");

    private static final String ADAM = "tf.train.AdamOptimizer(1e-4)";

    /**
     * The project's root: {@code -Dkiln.root}, else the working directory or the nearest parent of it
     * holding {@code examples/two_layer.kiln}.
     */
    public static Path root() {
        String prop = System.getProperty("kiln.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/two_layer.kiln"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Kiln project root (examples/two_layer.kiln) from "
                + Path.of("").toAbsolutePath() + "; run from the project or set -Dkiln.root");
    }

    /** The source file of a graph. */
    public static Path file(String graph) {
        return switch (graph) {
            case "two_layer" -> root().resolve("examples/two_layer.kiln");
            case "elementwise" -> root().resolve("benchmarks/graphs/elementwise.kiln");
            case "mlp4" -> root().resolve("benchmarks/graphs/mlp4.kiln");
            case "two_layer_adam", "two_layer_momentum", "two_layer_nesterov", "two_layer_rmsprop" ->
                    root().resolve("benchmarks/graphs/two_layer_adam.kiln");
            case "digits_mlp" -> root().resolve("examples/digits_mlp.kiln");
            default -> throw new IllegalArgumentException("unknown graph " + graph);
        };
    }

    /** The graph, unbound (the batch dimension is {@code None}). */
    public static Graph graph(String graph) {
        String optimizer = TWO_LAYER_OPTIMIZERS.get(graph);
        if (optimizer == null) {
            return Script.parse(file(graph));
        }
        try {
            String text = Files.readString(file(graph));
            if (!text.contains(ADAM)) {
                throw new IllegalStateException(file(graph) + " no longer says " + ADAM);
            }
            return Script.parse(text.replace(ADAM, optimizer), graph + ".kiln");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether {@code graph} is the canonical graph (with whichever optimizer): the reference case's data and weights. */
    public static boolean canonical(String graph) {
        return graph.equals("two_layer") || graph.equals("two_layer_adam") || TWO_LAYER_OPTIMIZERS.containsKey(graph);
    }

    /** A file of the reference case, read as a tensor. */
    public static Tensor reference(String name) {
        return Npy.read(root().resolve("src/test/resources/reference/seed-2layer").resolve(name));
    }

    /** The reference case's losses ({@code torch}, {@code tf} or {@code numpy}), indexed by step. */
    public static float[] referenceLosses(String who) {
        try {
            List<String> lines = Files.readAllLines(root().resolve("src/test/resources/reference/seed-2layer")
                    .resolve(who + "_loss.txt"));
            float[] l = new float[lines.size()];
            for (String line : lines) {
                String[] parts = line.trim().split("\\s+");
                l[Integer.parseInt(parts[0])] = Float.parseFloat(parts[1]);
            }
            return l;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The reference README's rule for "same computation" on one step:
     * {@code |L - Lref| <= 2e-5 Lref + 1e-5 sqrt(Lref Lref(0))}.
     */
    public static boolean agreesWithReference(float got, float ref, float ref0) {
        double bound = 2e-5 * ref + 1e-5 * Math.sqrt((double) ref * ref0);
        return Math.abs((double) got - ref) <= bound;
    }

    /** The feeds of one step of {@code graph} at batch {@code batch}: x and (for training) y. */
    public static Data data(String graph, int batch) {
        if (canonical(graph)) {
            float[] x = reference("x.npy").data();
            float[] y = reference("y.npy").data();
            int rows = x.length / 1000;
            if (batch > rows) {
                throw new IllegalArgumentException("the reference data has " + rows + " rows");
            }
            return new Data(java.util.Arrays.copyOf(x, batch * 1000), java.util.Arrays.copyOf(y, batch * 10), 1000, 10);
        }
        if (graph.equals("digits_mlp")) {
            Path dir = root().resolve("examples/data/digits");
            float[] x = Npy.read(dir.resolve("x_train.npy")).data();
            float[] y = Npy.read(dir.resolve("y_train.npy"), DType.INT64).data();
            return new Data(java.util.Arrays.copyOf(x, batch * 64), java.util.Arrays.copyOf(y, batch), 64, 10, true);
        }
        Graph g = graph(graph);
        int dIn = g.node("x").shape().dim(1);
        int dOut = g.node("y").shape().dim(1);
        Random r = new Random(DATA_SEED);
        float[] x = new float[batch * dIn];
        float[] y = new float[batch * dOut];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = graph.equals("elementwise") ? 0.5f + 0.25f * (float) r.nextGaussian() : (float) r.nextGaussian();
        }
        return new Data(x, y, dIn, dOut);
    }

    /**
     * A batch of feeds: {@code x} is [batch, dIn], {@code y} is [batch, dOut], or with {@code labels} the
     * [batch] integer class labels (held as floats) of {@code dOut} classes.
     */
    public record Data(float[] x, float[] y, int dIn, int dOut, boolean labels) {
        public Data(float[] x, float[] y, int dIn, int dOut) {
            this(x, y, dIn, dOut, false);
        }

        public int batch() {
            return x.length / dIn;
        }

        /** The feeds as tensors, keyed by placeholder name (y only when {@code withY}). */
        public Map<String, Tensor> feeds(boolean withY) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("x", new Tensor(Shape.of(batch(), dIn), x));
            if (withY) {
                m.put("y", new Tensor(labels ? Shape.of(batch()) : Shape.of(batch(), dOut), y));
            }
            return m;
        }
    }

    /**
     * The starting values of the variables of {@code graph}, in program order: the reference case's
     * w1 and w2 for the canonical graph (an optimizer's slots start from their initializers), else the
     * graph's initializers with seed 0 (slots included).
     */
    public static Map<String, Tensor> initialVariables(String graph) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        if (canonical(graph)) {
            m.put("w1", reference("w1.npy"));
            m.put("w2", reference("w2.npy"));
            return m;
        }
        Graph g = graph(graph).bind(1);
        Session s = Kiln.session(g, List.of(), List.of(), Engine.INTERPRETER, 0L);
        for (String name : s.variableNames()) {
            m.put(name, s.variable(name));
        }
        return m;
    }

    /** Sets every variable of a session to its starting value. */
    public static void initialize(Session s, String graph) {
        for (Map.Entry<String, Tensor> e : initialVariables(graph).entrySet()) {
            s.setVariable(e.getKey(), e.getValue());
        }
    }

    /** Sets every variable of a compiled instance to its starting value. */
    public static void initialize(Object compiled, String graph) {
        for (Map.Entry<String, Tensor> e : initialVariables(graph).entrySet()) {
            Kiln.variables(compiled).set(e.getKey(), e.getValue());
        }
    }

    /** An interpreter session running a training step of {@code graph}: fetch loss, every assign. */
    public static Session interpreterStep(String graph, int batch) {
        Graph g = graph(graph).bind(batch);
        Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), Engine.INTERPRETER, 0L);
        initialize(s, graph);
        return s;
    }

    /** An interpreter session running the forward pass of {@code graph}: fetch y_pred, no assigns. */
    public static Session interpreterForward(String graph, int batch) {
        Graph g = graph(graph).bind(batch);
        Session s = Kiln.session(g, List.of("y_pred"), List.of(), Engine.INTERPRETER, 0L);
        initialize(s, graph);
        return s;
    }

    /** The compiled training step of {@code graph} for {@code variant}, started from the initial values. */
    public static TrainStep compiledStep(String graph, int batch, String variant) {
        TrainStep step = Kiln.compile(graph(graph), TrainStep.class, Variants.options(variant, batch));
        initialize(step, graph);
        return step;
    }

    /** The compiled forward pass (fetch y_pred, no assigns) of {@code graph} for {@code variant}. */
    public static Forward compiledForward(String graph, int batch, String variant) {
        Forward f = Kiln.compile(graph(graph), Forward.class,
                Variants.options(variant, batch).fetch("y_pred").noTargets());
        initialize(f, graph);
        return f;
    }

    /**
     * The floating-point operations of one run of {@code graph} at {@code batch}, counted from the
     * shapes of the graph as written (before optimization), over the nodes the run needs: 2·m·n·k per
     * matrix product [m,k]x[k,n], plus 2 per element of every variable an SGD assign updates
     * ({@code w - lr * g}). Elementwise ops, reductions and transcendental functions are not counted.
     * For the canonical step at batch 64 that is 26.19 MFLOP, and 12.93 MFLOP for its forward pass.
     */
    public static long flops(String graph, int batch, boolean training) {
        Graph g = graph(graph).bind(batch);
        List<Node> roots = new ArrayList<>();
        if (training) {
            roots.add(g.node("loss"));
            roots.addAll(g.sideEffects());
        } else {
            roots.add(g.node("y_pred"));
        }
        java.util.BitSet needed = dev.kiln.ir.Reachability.ancestors(roots);
        long flops = 0;
        for (Node n : g.nodes()) {
            if (!needed.get(n.id())) {
                continue;
            }
            if (n.op() instanceof dev.kiln.ops.MatMul mm) {
                Shape a = n.input(0).shape();
                long k = mm.transposeA() ? a.dim(0) : a.dim(1);
                flops += 2L * n.shape().dim(0) * n.shape().dim(1) * k;
            } else if (training && n.op() instanceof dev.kiln.ops.Assign) {
                flops += 2L * n.shape().size();
            }
        }
        return flops;
    }
}
