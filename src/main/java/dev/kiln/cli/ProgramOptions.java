package dev.kiln.cli;

import dev.kiln.api.Kiln;
import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.opt.Pipeline;
import dev.kiln.opt.Program;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of the commands that compile without running: which program, bound how, with which passes. */
final class ProgramOptions {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model: a .kiln script.")
    Path model;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "" + ModelOptions.DEFAULT_BATCH,
            description = "Size of the None dimension (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed for random values the run reads.")
    long seed;

    @Option(names = {"--fetch", "--loss"}, paramLabel = "NAME", defaultValue = "loss",
            description = "The node the step fetches (default: ${DEFAULT-VALUE}).")
    String fetch;

    @Option(names = "--disable-pass", paramLabel = "PASS", description = "Switch an optimizer pass off (repeatable).")
    List<String> disabled = new ArrayList<>();

    @Option(names = "--check-numerics",
            description = "As train and run do with it: no fusing passes, and (compile) a check after every kernel.")
    boolean checkNumerics;

    /** The passes switched off: those given, and with {@code --check-numerics} the fusing ones. */
    Set<String> disabledPasses() {
        Set<String> off = new LinkedHashSet<>(disabled);
        if (checkNumerics) {
            off.addAll(dev.kiln.opt.Pipeline.fusingPasses());
        }
        return off;
    }

    /** The compile options the flags give: seed, passes switched off, numerics checks. */
    dev.kiln.api.Options options() {
        return options(seed, disabled, checkNumerics);
    }

    /** Options from the flags {@code train}, {@code run} and {@code compile} share; the rest as the system properties say. */
    static dev.kiln.api.Options options(long seed, List<String> disabled, boolean checkNumerics) {
        dev.kiln.api.Options o = new dev.kiln.api.Options().seed(seed).disablePasses(disabled.toArray(new String[0]));
        return checkNumerics ? o.checkNumerics(true) : o; // else as -Dkiln.checkNumerics says
    }

    /** The training step: the fetch, with every assign as a target, bound to the batch size. */
    Program program() {
        checkPasses(disabled);
        if (batch < 1) {
            throw new KilnException("--batch must be at least 1, got " + batch);
        }
        Graph g = Script.parse(model).bind(batch);
        Node f = resolve(g, "--fetch", fetch);
        return new Program(g, List.of(f), g.sideEffects());
    }

    /** The node {@code name} given with {@code flag}, or an error naming the flag and listing the names there are. */
    static Node resolve(Graph g, String flag, String name) {
        try {
            return Kiln.resolve(g, name);
        } catch (KilnException e) {
            throw new KilnException(null, flag + " " + name + ": " + e.getMessage(), e);
        }
    }

    /** Complains about the first name in {@code disabled} that is not a pass, listing the passes. */
    static void checkPasses(List<String> disabled) {
        for (String name : disabled) {
            if (!Pipeline.passNames().contains(name)) {
                throw new KilnException("--disable-pass " + name + ": no pass of that name (passes: "
                        + String.join(", ", new java.util.LinkedHashSet<>(Pipeline.passNames())) + ")");
            }
        }
    }
}
