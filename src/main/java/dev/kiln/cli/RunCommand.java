package dev.kiln.cli;

import dev.kiln.api.Kiln;
import dev.kiln.api.Session;
import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln run}: evaluates one fetch once, with no assignments, and prints it or writes it to a file. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Evaluate one node once, without assignments.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--fetch", paramLabel = "NAME", required = true, description = "The node to evaluate.")
    String fetch;

    @Option(names = "--out", paramLabel = "FILE.npy", description = "Write the value here instead of printing it.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelOptions.Prepared p = model.prepare();
        DType dtype = ProgramOptions.resolve(p.graph(), "--fetch", fetch).dtype();
        Session s = Kiln.session(p.graph(), List.of(fetch), List.of(), p.engine(), model.options());
        p.applyInits(s);
        Tensor value = s.run(p.feeds()).get(0);
        if (out != null) {
            try {
                Npy.write(out, value, dtype);
            } catch (KilnException e) {
                throw new KilnException(null, "--out " + e.getMessage(), e);
            }
        } else {
            print(spec.commandLine().getOut(), value, dtype);
        }
        return Main.OK;
    }

    /**
     * A scalar as one number; otherwise a header line {@code f32[2,3]} and then the last dimension's rows,
     * one per line, numbers separated by spaces, each printed with {@code Float.toString} (integers as
     * integers, booleans as True and False).
     */
    static void print(PrintWriter w, Tensor t, DType dtype) {
        float[] d = t.data();
        if (t.shape().rank() == 0) {
            w.println(shown(d[0], dtype));
            return;
        }
        w.println(dtype.shortName() + t.shape());
        int row = t.shape().dim(t.shape().rank() - 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            if (i % row != 0) {
                b.append(' ');
            }
            b.append(shown(d[i], dtype));
            if (i % row == row - 1) {
                w.println(b);
                b.setLength(0);
            }
        }
        w.flush();
    }

    private static String shown(float v, DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> Float.toString(v);
            case INT32, INT64 -> v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v); // NaN shows as NaN
            case BOOL -> v != 0f ? "True" : "False";
        };
    }
}
