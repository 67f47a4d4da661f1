package dev.kiln.cli;

import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.io.Npy;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--save", paramLabel = "DIR", description = "Write each variable's final value as DIR/NAME.npy.")
    Path save;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (steps < 0) {
            throw new KilnException("--steps must not be negative, got " + steps);
        }
        if (printEvery < 1) {
            throw new KilnException("--print-every must be at least 1, got " + printEvery);
        }
        ModelOptions.Prepared p = model.prepare();
        Node lossNode = Kiln.resolve(p.graph(), loss);
        if (lossNode.shape().size() != 1) {
            throw new KilnException("the loss '" + loss + "' has shape " + lossNode.shape()
                    + "; it must have one element (reduce it, or choose another with --loss)");
        }
        if (save != null) {
            prepareDirectory(save);
        }
        Session s = Kiln.session(p.graph(), List.of(loss), p.graph().sideEffects(), p.engine(), model.options());
        model.applyInits(s, p.graph());
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.forStandardError(steps);
        try {
            for (int t = 0; t < steps; t++) {
                float value = run(s, p, t);
                if ((t + 1) % printEvery == 0) {
                    out.println(t + " " + Float.toString(value));
                    out.flush();
                }
                progress.step(t, value);
            }
        } finally {
            progress.done(); // clears the line, also before an error is printed
        }
        if (save != null) {
            for (String v : s.variableNames()) {
                Tensor value = s.variable(v);
                Npy.write(save.resolve(v + ".npy"), value);
            }
        }
        return Main.OK;
    }

    /** Step {@code t}: the loss; a numerics error says which step it stopped. */
    private float run(Session s, ModelOptions.Prepared p, int t) {
        try {
            return s.run(p.feeds()).get(0).data()[0];
        } catch (NumericsException e) {
            throw e.during("step " + t);
        }
    }

    static void prepareDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw new KilnException("--save " + dir + ": cannot create the directory (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new KilnException("--save " + dir + ": the directory is not writable");
        }
    }
}
