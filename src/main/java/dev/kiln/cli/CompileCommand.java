package dev.kiln.cli;

import dev.kiln.api.Compiler;
import dev.kiln.opt.Program;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kiln compile}: compiles a model's training step (the loss fetched, every assign performed) and
 * writes everything it produced: the class file, its listing, the IR after every pass and the optimized
 * graph as DOT.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a model and write the class, its listing, the IR after each pass and a DOT graph.")
final class CompileCommand implements Callable<Integer> {
    @Mixin
    ProgramOptions program;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Program p = program.program();
        Compiler.Compiled c = Compiler.compile(p, program.options().dumpTo(out));
        String simple = c.className().substring(c.className().lastIndexOf('/') + 1);
        spec.commandLine().getOut().println(out.resolve(simple + ".class"));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
