package dev.kiln.cli;

import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.io.Npy;
import dev.kiln.io.Npz;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Reachability;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kiln train}: runs N steps, each one run fetching the loss with every assign in the graph as a
 * target, and prints {@code t loss} every K steps: nothing else goes to standard output.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model: run it N times, fetching the loss and performing every assign.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "500", description = "Steps to run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--print-every", paramLabel = "K", defaultValue = "100",
            description = "Print 't loss' when (t+1) %% K == 0 (default: ${DEFAULT-VALUE}).")
    int printEvery;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "loss", description = "The node to fetch as the loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--save", paramLabel = "DIR|FILE.npz", description = "Write each variable's final value as DIR/NAME.npy (a slot such as w1/Adam as DIR/w1/Adam.npy), or all of them into one .npz archive.")
    Path save;

    @Option(names = "--minibatch", paramLabel = "B",
            description = "Feed the data sets B rows at a time, the next B each step (instead of --batch).")
    Integer minibatch;

    @Option(names = "--shuffle", description = "With --minibatch: take the rows in a new order every epoch, from --seed.")
    boolean shuffle;

    @Option(names = "--test", paramLabel = "NAME", description = "After training, evaluate NAME once on the --test-feed data and print 'NAME value'.")
    String test;

    @Option(names = "--test-feed", paramLabel = "NAME=FILE.npy", description = "Feed placeholder NAME from a .npy file for --test.")
    List<String> testFeeds = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        checkFlags();
        ModelOptions.Prepared p = model.prepare(minibatch);
        Minibatches batches = minibatch == null ? null : Minibatches.of(p.graph(), p.feeds(), p.batched(),
                minibatch, shuffle ? model.seed : null);
        ModelOptions.Prepared testing = test == null ? null : prepareTest(p);
        Node lossNode = ProgramOptions.resolve(p.graph(), "--loss", loss);
        if (lossNode.shape().size() != 1) {
            throw new KilnException("--loss " + loss + ": the loss has shape " + lossNode.shape()
                    + "; it must have one element (reduce it, or choose another node)");
        }
        boolean archive = save != null && save.toString().endsWith(".npz");
        Map<Path, String> targets = save == null || archive ? Map.of()
                : saveTargets(save, p.graph().variables().stream().map(Node::name).toList());
        if (archive) {
            checkArchiveTarget(save);
        }
        Session s = Kiln.session(p.graph(), List.of(loss), p.graph().sideEffects(), p.engine(), model.options());
        p.applyInits(s);
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.forStandardError(steps);
        try {
            for (int t = 0; t < steps; t++) {
                float value = run(s, batches == null ? p.feeds() : batches.step(t), t);
                if ((t + 1) % printEvery == 0) {
                    out.println(t + " " + Float.toString(value));
                    out.flush();
                }
                progress.step(t, value);
            }
        } finally {
            progress.done(); // clears the line, also before an error is printed
        }
        if (testing != null) {
            evaluate(s, testing, out);
        }
        if (save != null) {
            save(s, p, targets, archive);
        }
        return Main.OK;
    }

    /** The numbers and the pairs of flags that need each other. */
    private void checkFlags() {
        if (steps < 0) {
            throw new KilnException("--steps must not be negative, got " + steps);
        }
        if (printEvery < 1) {
            throw new KilnException("--print-every must be at least 1, got " + printEvery);
        }
        if (shuffle && minibatch == null) {
            throw new KilnException("--shuffle needs --minibatch");
        }
        if (test == null && !testFeeds.isEmpty()) {
            throw new KilnException("--test-feed needs --test NAME, the node to evaluate");
        }
    }

    /** The model for {@code --test}, checked before training: the node exists and every placeholder it reads is fed. */
    private ModelOptions.Prepared prepareTest(ModelOptions.Prepared trained) {
        ModelOptions.Prepared testing = model.prepareTest(trained, testFeeds);
        BitSet needs = Reachability.ancestors(ProgramOptions.resolve(testing.graph(), "--test", test));
        for (Node ph : testing.graph().placeholders()) {
            if (needs.get(ph.id()) && !testing.feeds().containsKey(ph.name())) {
                throw new KilnException("--test " + test + ": placeholder '" + ph.name() + "' needs a --test-feed "
                        + ph.name() + "=FILE.npy");
            }
        }
        return testing;
    }

    /** Writes every variable: into {@code targets}' files, or into the archive {@code --save} names. */
    private void save(Session s, ModelOptions.Prepared p, Map<Path, String> targets, boolean archive) {
        try {
            if (archive) {
                Map<String, Tensor> values = new LinkedHashMap<>();
                for (Node v : p.graph().variables()) {
                    values.put(v.name(), s.variable(v.name()));
                }
                Npz.write(save, values);
            } else {
                Map<Path, Tensor> values = new LinkedHashMap<>();
                targets.forEach((file, variable) -> values.put(file, s.variable(variable)));
                Npy.writeAll(values);
            }
        } catch (KilnException e) {
            throw new KilnException(null, "--save " + save + ": " + e.getMessage(), e);
        }
    }

    /** Step {@code t}: the loss; a numerics error says which step it stopped. */
    private static float run(Session s, Map<String, Tensor> feeds, int t) {
        try {
            return s.run(feeds).get(0).data()[0];
        } catch (NumericsException e) {
            throw e.during("step " + t);
        }
    }

    /** Prints {@code --test}'s node evaluated once on the test data, from the trained variables of {@code trained}. */
    private void evaluate(Session trained, ModelOptions.Prepared testing, PrintWriter out) {
        Session e = Kiln.session(testing.graph(), List.of(test), List.of(), testing.engine(), model.options());
        for (String v : trained.variableNames()) {
            e.setVariable(v, trained.variable(v));
        }
        Tensor value;
        try {
            value = e.run(testing.feeds()).get(0);
        } catch (KilnException x) {
            throw new KilnException(x.pos(), "--test " + test + ": " + x.detail(), x);
        }
        out.print(test + " ");
        RunCommand.print(out, value, testing.graph().node(test).dtype());
        out.flush();
    }

    /**
     * The file {@code DIR/NAME.npy} of each variable, checked before training so that a run does not
     * end by failing to save: each name must make a plain file name, or plain names joined by {@code /} (an
     * optimizer's slot {@code w1/Adam} is written as {@code DIR/w1/Adam.npy}), the directories are created if
     * need be and must be writable, and no file may be a directory.
     */
    static Map<Path, String> saveTargets(Path dir, List<String> variables) {
        Map<Path, String> targets = new LinkedHashMap<>();
        for (String v : variables) {
            Path file = fileOf(dir, v);
            if (file == null) {
                throw new KilnException("--save " + dir + ": cannot write variable '" + v + "' as " + v
                        + ".npy: its name is not a plain file name");
            }
            targets.put(file, v);
        }
        for (Path d : new LinkedHashSet<>(targets.keySet().stream().map(Path::getParent).toList())) {
            try {
                Files.createDirectories(d);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                throw new KilnException(null, "--save " + dir + ": cannot create the directory"
                        + (d.equals(dir) ? "" : " " + d) + ": " + whyNot(d, e), e);
            }
            if (!Files.isWritable(d)) {
                throw new KilnException("--save " + dir + ": the directory " + (d.equals(dir) ? "" : d + " ") + "is not writable");
            }
        }
        for (Map.Entry<Path, String> t : targets.entrySet()) {
            if (Files.isDirectory(t.getKey())) {
                throw new KilnException("--save " + dir + ": cannot write variable '" + t.getValue() + "' to "
                        + t.getKey() + ": it is a directory");
            }
        }
        return targets;
    }

    /** {@code dir/a/b.npy} for the variable {@code a/b}, or null when a part of the name is not a plain file name. */
    static Path fileOf(Path dir, String variable) {
        Path at = dir;
        String[] parts = variable.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = i == parts.length - 1 ? parts[i] + ".npy" : parts[i];
            Path next;
            try {
                next = at.resolve(part);
            } catch (InvalidPathException e) {
                return null;
            }
            if (parts[i].isEmpty() || parts[i].equals(".") || parts[i].equals("..") || !at.equals(next.getParent())
                    || !next.getFileName().toString().equals(part)) {
                return null;
            }
            at = next;
        }
        return at;
    }

    /** Checks, before training, that the archive {@code file} can be written: its directory exists and it is not one. */
    private static void checkArchiveTarget(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new KilnException("--save " + file + ": it is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new KilnException("--save " + file + ": no directory " + dir + " to write it in");
        }
        if (!Files.isWritable(dir)) {
            throw new KilnException("--save " + file + ": the directory " + dir + " is not writable");
        }
    }

    /** Why {@code dir} could not be created: the file in its way, or what the file system said. */
    private static String whyNot(Path dir, Exception e) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p.equals(dir) ? "a file of that name exists" : p + " is a file, not a directory";
            }
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return reason == null || reason.isEmpty() ? e.getClass().getSimpleName()
                : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
