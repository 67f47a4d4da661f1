package dev.kiln.cli;

import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.opt.Pipeline;
import dev.kiln.opt.Program;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kiln ir}: prints a model's graph, one node per line: as written (unknown dimensions shown as
 * {@code ?}), bound to a batch size, or as the optimizer leaves the training step ({@code --optimized}),
 * optionally after every pass.
 */
@Command(name = "ir", mixinStandardHelpOptions = true, description = "Print the graph of a model, one node per line.")
final class IrCommand implements Callable<Integer> {
    @Mixin
    ProgramOptions program;

    @Option(names = "--bound", description = "Bind the None dimension to --batch before printing.")
    boolean bound;

    @Option(names = "--optimized", description = "Print the training step as the optimizer leaves it.")
    boolean optimized;

    @Option(names = "--each-pass", description = "With --optimized: print the program after every pass.")
    boolean eachPass;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!optimized) { // these only change the optimized program: without it they would do nothing, silently
            if (eachPass) {
                throw new KilnException("--each-pass: only applies with --optimized");
            }
            if (program.checkNumerics) {
                throw new KilnException("--check-numerics: only applies with --optimized (it switches the fusing passes off)");
            }
            if (!program.disabled.isEmpty()) {
                throw new KilnException("--disable-pass " + program.disabled.get(0) + ": only applies with --optimized");
            }
        }
        if (optimized) {
            Program p = Pipeline.optimize(program.program(), program.disabledPasses(), (pass, q) -> {
                if (eachPass) {
                    out.println("# after " + pass);
                    out.print(q);
                }
            });
            if (!eachPass) {
                out.print(p);
            }
        } else {
            Graph g = Script.parse(program.model);
            out.print(bound ? g.bind(program.batch) : g);
        }
        out.flush();
        return Main.OK;
    }
}
