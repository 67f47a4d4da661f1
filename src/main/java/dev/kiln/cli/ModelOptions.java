package dev.kiln.cli;

import dev.kiln.api.Engine;
import dev.kiln.dsl.Script;
import dev.kiln.io.Npy;
import dev.kiln.io.Npz;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.RandomNormal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
    List<String> feeds = new ArrayList<>();

    @Option(names = "--init", paramLabel = "NAME=FILE.npy", description = "Start variable NAME from a .npy file.")
    List<String> inits = new ArrayList<>();

    @Option(names = "--restore", paramLabel = "DIR|FILE.npz",
            description = "Start every variable (and optimizer slot) from DIR/NAME.npy or from FILE.npz, as train --save wrote them.")
    Path restore;

    @Option(names = "--disable-pass", paramLabel = "PASS", description = "Switch an optimizer pass off (repeatable).")
    List<String> disabled = new ArrayList<>();

    @Option(names = "--check-numerics",
            description = "Stop at the first NaN or infinity a run reads or computes, naming the node and its line.")
    boolean checkNumerics;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled",
            description = "Which engine runs the graph: compiled or interpreter (the reference) (default: ${DEFAULT-VALUE}).")
    String engine;

    /**
     * The model, parsed, bound to the batch size, with its feeds and initial values read and checked:
     * everything the flags name is checked here, before anything is compiled or run.
     */
    Prepared prepare() {
        return prepare(null);
    }

    /**
     * As {@link #prepare()}; with a {@code minibatch} size, the graph is bound to it and each feed holds the
     * whole data set, rows along its first dimension (see {@link Minibatches}).
     */
    Prepared prepare(Integer minibatch) {
        Engine chosen = engine();
        if (chosen == Engine.COMPILED) { // the shared kernels compile while the files are read
            dev.kiln.api.Compiler.prepare(new dev.kiln.api.Options()); // the backend -Dkiln.backend chooses
        }
        ProgramOptions.checkPasses(disabled);
        if (batch != null && batch < 1) {
            throw new KilnException("--batch must be at least 1, got " + batch);
        }
        if (minibatch != null && minibatch < 1) {
            throw new KilnException("--minibatch must be at least 1, got " + minibatch);
        }
        if (minibatch != null && batch != null) {
            throw new KilnException("give only one of --batch and --minibatch");
        }
        NamedFiles feedFiles = NamedFiles.parse("--feed", feeds);
        NamedFiles initFiles = NamedFiles.parse("--init", inits);
        Graph parsed = Script.parse(model);
        Map<String, Fed> fed = readFeeds(parsed, feedFiles);
        Map<String, Tensor> initial = readInits(parsed, initFiles);
        if (restore != null) {
            readRestored(parsed, initial);
        }
        Fed sized = batch != null || minibatch != null ? null
                : fed.values().stream().filter(f -> f.batch() > 0).findFirst().orElse(null);
        int b = minibatch != null ? minibatch : batch != null ? batch : sized != null ? sized.batch() : DEFAULT_BATCH;
        String batchFrom = "batch size " + b + ", " + (minibatch != null ? "from --minibatch " + minibatch
                : batch != null ? "from --batch " + batch
                : sized != null ? "from " + sized.shown() : "the default; set it with --batch");
        Graph graph;
        try {
            graph = parsed.bind(b);
        } catch (KilnException e) {
            throw new KilnException(e.pos(), e.detail() + " (" + batchFrom + ")", e);
        }
        List<String> batched = fed.values().stream().filter(ModelOptions::batched).map(f -> f.placeholder().name()).toList();
        return new Prepared(parsed, graph, placeholderData(graph, fed, batchFrom, minibatch != null), initial, chosen,
                batched);
    }

    /**
     * The model of {@code trained} bound to the batch of the {@code --test-feed} files (their first unknown
     * dimension), with those feeds: what {@code train --test} evaluates once training is done.
     */
    Prepared prepareTest(Prepared trained, List<String> testFeeds) {
        Graph parsed = trained.parsed();
        Map<String, Fed> fed = readFeeds(parsed, NamedFiles.parse("--test-feed", testFeeds));
        Fed sized = fed.values().stream().filter(f -> f.batch() > 0).findFirst().orElse(null);
        int b = sized != null ? sized.batch() : 1;
        Graph graph = parsed.bind(b);
        Map<String, Tensor> data = new LinkedHashMap<>();
        for (Fed f : fed.values()) {
            Node p = graph.node(f.placeholder().name());
            if (!f.value().shape().equals(p.shape())) {
                throw new KilnException(f.shown() + ": expected shape " + p.shape() + " for placeholder '" + p.name()
                        + "', got " + f.value().shape() + " (batch size " + b + ", from " + sized.shown() + ")");
            }
            data.put(p.name(), f.value());
        }
        return new Prepared(parsed, graph, data, Map.of(), trained.engine(), List.of());
    }

    /** Each placeholder's feed, checked against its bound shape, or random data (from the seed) when it has none. */
    private Map<String, Tensor> placeholderData(Graph graph, Map<String, Fed> fed, String batchFrom, boolean dataSets) {
        Map<String, Tensor> data = new LinkedHashMap<>();
        List<Node> placeholders = graph.placeholders();
        for (int i = 0; i < placeholders.size(); i++) {
            Node p = placeholders.get(i);
            Fed f = fed.get(p.name());
            if (f == null && p.dtype() != DType.FLOAT32) {
                throw new KilnException("placeholder '" + p.name() + "' (" + p.dtype().pythonName() + ") needs a feed: --feed "
                        + p.name() + "=FILE.npy (only float32 placeholders get random data)");
            } else if (f == null) {
                data.put(p.name(), new RandomNormal(p.shape(), 0f, 1f, -1L - i, false).sample(seed));
            } else if (dataSets && batched(f)) {
                data.put(p.name(), f.value()); // Minibatches checks its rows
            } else if (!f.value().shape().equals(p.shape())) {
                throw new KilnException(f.shown() + ": expected shape " + p.shape() + " for placeholder '" + p.name()
                        + "', got " + f.value().shape() + " (" + batchFrom + ")");
            } else {
                data.put(p.name(), f.value());
            }
        }
        return data;
    }

    /** The feeds, by their placeholder's own name (whatever name the flag used), each of a shape that fits. */
    private Map<String, Fed> readFeeds(Graph parsed, NamedFiles files) {
        Map<String, Fed> fed = new LinkedHashMap<>();
        for (String name : files.names()) {
            Node p = parsed.node(name);
            if (p == null || !p.op().name().equals("placeholder")) {
                throw new KilnException(files.shown(name) + ": " + model + " has no placeholder named '" + name
                        + "' (placeholders: " + names(parsed.placeholders()) + ")" + otherwise(p, name, "variable", "--init"));
            }
            if (fed.containsKey(p.name())) {
                throw new KilnException(files.shown(name) + ": placeholder '" + p.name() + "' is already fed by "
                        + fed.get(p.name()).shown());
            }
            Tensor t = files.read(name, p.dtype());
            if (!fits(p.shape(), t.shape())) {
                throw new KilnException(files.shown(name) + ": expected shape " + p.shape() + " for placeholder '"
                        + p.name() + "', got " + t.shape());
            }
            fed.put(p.name(), new Fed(files.shown(name), p, t));
        }
        return fed;
    }

    /** The initial values, by their variable's own name, each of the variable's shape. */
    private Map<String, Tensor> readInits(Graph parsed, NamedFiles files) {
        Map<String, Tensor> initial = new LinkedHashMap<>();
        for (String name : files.names()) {
            Node v = parsed.node(name);
            if (v == null || !v.op().name().equals("variable")) {
                throw new KilnException(files.shown(name) + ": " + model + " has no variable named '" + name
                        + "' (variables: " + names(parsed.variables()) + ")" + otherwise(v, name, "placeholder", "--feed"));
            }
            Tensor t = files.read(name);
            if (!t.shape().equals(v.shape())) {
                throw new KilnException(files.shown(name) + ": expected shape " + v.shape() + " for variable '"
                        + v.name() + "', got " + t.shape());
            }
            initial.put(v.name(), t);
        }
        return initial;
    }

    /** True when the model leaves the feed's first dimension unknown: a data set {@code --minibatch} takes rows of. */
    private static boolean batched(Fed f) {
        Shape declared = f.placeholder().shape();
        return declared.rank() > 0 && declared.dim(0) == Shape.UNKNOWN;
    }

    /**
     * Adds the value of each variable not given by {@code --init}, from {@code --restore}: a directory of
     * {@code NAME.npy} files, or a {@code .npz} archive of an array per variable.
     */
    private void readRestored(Graph parsed, Map<String, Tensor> initial) {
        Function<Node, Tensor> saved = restore.toString().endsWith(".npz") && !Files.isDirectory(restore)
                ? fromArchive() : fromDirectory();
        for (Node v : parsed.variables()) {
            if (initial.containsKey(v.name())) {
                continue;
            }
            Tensor t = saved.apply(v);
            if (!t.shape().equals(v.shape())) {
                throw new KilnException("--restore " + restore + ": the saved '" + v.name() + "' has shape " + t.shape()
                        + ", the variable " + v.shape());
            }
            initial.put(v.name(), t);
        }
    }

    /** Each variable's file {@code NAME.npy} in {@code --restore}'s directory, read. */
    private Function<Node, Tensor> fromDirectory() {
        if (!Files.isDirectory(restore)) {
            throw new KilnException("--restore " + restore + ": " + (Files.exists(restore) ? "not a directory" : "no such directory"));
        }
        return v -> {
            Path file = TrainCommand.fileOf(restore, v.name());
            if (file == null || !Files.isRegularFile(file)) {
                throw new KilnException("--restore " + restore + ": no file for variable '" + v.name() + "'"
                        + (file == null ? "" : " (" + file + ")"));
            }
            try {
                return Npy.read(file);
            } catch (KilnException e) {
                throw new KilnException(null, "--restore " + restore + ": " + e.getMessage(), e);
            }
        };
    }

    /** Each variable's array in the {@code .npz} archive {@code --restore} names. */
    private Function<Node, Tensor> fromArchive() {
        Map<String, Tensor> arrays;
        try {
            arrays = Npz.read(restore);
        } catch (KilnException e) {
            throw new KilnException(null, "--restore " + e.getMessage(), e);
        }
        return v -> {
            Tensor t = arrays.get(v.name());
            if (t == null) {
                throw new KilnException("--restore " + restore + ": no array for variable '" + v.name() + "' (it holds "
                        + String.join(", ", arrays.keySet()) + ")");
            }
            return t;
        };
    }

    /** The session options: seed, switched-off passes, numerics checks (plus the system properties Options reads). */
    dev.kiln.api.Options options() {
        return ProgramOptions.options(seed, disabled, checkNumerics);
    }

    private Engine engine() {
        try {
            return Engine.parse(engine);
        } catch (KilnException e) {
            throw new KilnException(null, "--engine " + engine + ": " + e.getMessage(), e);
        }
    }

    /** A hint when {@code n} is the other kind of source, given with the other flag. */
    private static String otherwise(Node n, String name, String kind, String flag) {
        return n != null && n.op().name().equals(kind) ? "; '" + name + "' is a " + kind + ": use " + flag : "";
    }

    /** A feed as read: the flag as given, its placeholder (not yet bound) and the array. */
    private record Fed(String shown, Node placeholder, Tensor value) {
        /** The size this feed gives the placeholder's first None dimension, or 0 when it has none. */
        int batch() {
            Shape declared = placeholder.shape();
            for (int i = 0; i < declared.rank(); i++) {
                if (declared.dim(i) == Shape.UNKNOWN) {
                    return value.shape().dim(i);
                }
            }
            return 0;
        }
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

    /**
     * The model as parsed and bound, the data for all its placeholders, the variables' values given with --init,
     * and the fed placeholders whose first dimension the model leaves unknown (the data sets of --minibatch).
     */
    record Prepared(Graph parsed, Graph graph, Map<String, Tensor> feeds, Map<String, Tensor> inits, Engine engine,
            List<String> batched) {
        /** Sets the variables given with {@code --init}. */
        void applyInits(dev.kiln.api.Session session) {
            inits.forEach(session::setVariable);
        }
    }
}
