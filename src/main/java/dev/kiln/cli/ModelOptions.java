package dev.kiln.cli;

import dev.kiln.api.Engine;
import dev.kiln.dsl.Script;
import dev.kiln.io.Npy;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.RandomNormal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that runs a model shares: the model, its feeds, its variables' values. */
final class ModelOptions {
    static final int DEFAULT_BATCH = 64;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model: a .kiln script.")
    Path model;

    @Option(names = "--batch", paramLabel = "B",
            description = "Size of the None dimension (default: from the feeds, else " + DEFAULT_BATCH + ").")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed for variable initializers and for the data of placeholders without a feed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--feed", paramLabel = "NAME=FILE.npy", description = "Feed placeholder NAME from a .npy file.")
    Map<String, Path> feeds = new LinkedHashMap<>();

    @Option(names = "--init", paramLabel = "NAME=FILE.npy", description = "Start variable NAME from a .npy file.")
    Map<String, Path> inits = new LinkedHashMap<>();

    @Option(names = "--disable-pass", paramLabel = "PASS", description = "Switch an optimizer pass off (repeatable).")
    java.util.List<String> disabled = new java.util.ArrayList<>();

    @Option(names = "--check-numerics",
            description = "Stop at the first NaN or infinity a run reads or computes, naming the node and its line.")
    boolean checkNumerics;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled",
            description = "Which engine runs the graph: compiled or interpreter (the reference) (default: ${DEFAULT-VALUE}).")
    String engine;

    /** The model, parsed, bound to the batch size, with its feeds read and checked. */
    Prepared prepare() {
        Graph parsed = Script.parse(model);
        Map<String, Tensor> fed = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : feeds.entrySet()) {
            Node p = parsed.node(f.getKey());
            if (p == null || !p.op().name().equals("placeholder")) {
                throw new KilnException("--feed " + f.getKey() + ": " + model + " has no placeholder named '"
                        + f.getKey() + "' (placeholders: " + names(parsed.placeholders()) + ")");
            }
            Tensor t = Npy.read(f.getValue());
            if (!fits(p.shape(), t.shape())) {
                throw new KilnException(f.getValue() + ": expected shape " + p.shape() + " for placeholder '"
                        + f.getKey() + "', got " + t.shape());
            }
            fed.put(p.name(), t); // the placeholder's own name, whatever name the flag used
        }
        for (String v : inits.keySet()) {
            Node n = parsed.node(v);
            if (n == null || !n.op().name().equals("variable")) {
                throw new KilnException("--init " + v + ": " + model + " has no variable named '" + v
                        + "' (variables: " + names(parsed.variables()) + ")");
            }
        }
        int b = batch != null ? batch : inferBatch(parsed, fed);
        Graph graph = parsed.bind(b);
        Map<String, Tensor> data = new LinkedHashMap<>();
        List<Node> placeholders = graph.placeholders();
        for (int i = 0; i < placeholders.size(); i++) {
            Node p = placeholders.get(i);
            Tensor t = fed.get(p.name());
            if (t == null) {
                t = new RandomNormal(p.shape(), 0f, 1f, -1L - i, false).sample(seed);
            } else if (!t.shape().equals(p.shape())) {
                throw new KilnException(feeds.get(p.name()) + ": expected shape " + p.shape() + " for placeholder '"
                        + p.name() + "', got " + t.shape());
            }
            data.put(p.name(), t);
        }
        return new Prepared(graph, data, Engine.parse(engine));
    }

    /** The session options: seed, switched-off passes, numerics checks (plus the system properties Options reads). */
    dev.kiln.api.Options options() {
        dev.kiln.api.Options o = new dev.kiln.api.Options().seed(seed).disablePasses(disabled.toArray(new String[0]));
        return checkNumerics ? o.checkNumerics(true) : o; // else as -Dkiln.checkNumerics says
    }

    /** Sets the variables given with {@code --init}. */
    void applyInits(dev.kiln.api.Session session, Graph graph) {
        for (Map.Entry<String, Path> e : inits.entrySet()) {
            Node v = graph.node(e.getKey());
            session.setVariable(e.getKey(), Npy.read(e.getValue(), v.shape()));
        }
    }

    /** The None dimension's size as the first feed that fills one shows it; else the default. */
    private static int inferBatch(Graph parsed, Map<String, Tensor> fed) {
        for (Map.Entry<String, Tensor> f : fed.entrySet()) {
            Shape declared = parsed.node(f.getKey()).shape();
            Shape got = f.getValue().shape();
            if (declared.rank() == got.rank()) {
                for (int i = 0; i < declared.rank(); i++) {
                    if (declared.dim(i) == Shape.UNKNOWN) {
                        return got.dim(i);
                    }
                }
            }
        }
        return DEFAULT_BATCH;
    }

    /** True when {@code got} has {@code declared}'s rank and agrees with it on every known dimension. */
    private static boolean fits(Shape declared, Shape got) {
        if (declared.rank() != got.rank()) {
            return false;
        }
        for (int i = 0; i < declared.rank(); i++) {
            if (declared.dim(i) != Shape.UNKNOWN && declared.dim(i) != got.dim(i)) {
                return false;
            }
        }
        return true;
    }

    private static String names(List<Node> nodes) {
        return nodes.isEmpty() ? "none" : String.join(", ", nodes.stream().map(Node::name).toList());
    }

    /** A bound graph and the data for all its placeholders. */
    record Prepared(Graph graph, Map<String, Tensor> feeds, Engine engine) {}
}
