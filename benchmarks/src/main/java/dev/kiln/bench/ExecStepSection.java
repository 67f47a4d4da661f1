package dev.kiln.bench;

import java.util.List;
import java.util.Locale;

/**
 * The page's table of what a whole program's {@code sess.run} adds to the step ({@link ExecStep}): the
 * canonical step through {@code kiln exec}'s machinery against the same step through {@code Session.run},
 * measured in the same run.
 */
final class ExecStepSection {
    private ExecStepSection() {}

    /** The section from the steady-state rows; empty when the run did not measure {@link ExecStep}. */
    static String render(List<Results.Row> rows) {
        List<Results.Row> exec = StepTimeSection.steady(rows).stream().filter(r -> r.graphKey().equals("ExecStep")).toList();
        Results.Row session = find(exec, "session");
        Results.Row program = find(exec, "program");
        if (session == null || program == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## A whole program's `sess.run`\n\n");
        sb.append("The canonical training step run as `kiln exec` runs it, `step()` of"
                + " `benchmarks/programs/canonical_step_fn.py` (`loss_value, _, _ = sess.run([loss, new_w1, new_w2],"
                + " feed_dict={x: x_value, y: y_value})`: the call, the fetch list and the feed dict evaluated, the"
                + " NumPy feeds converted (once, while unchanged), the compiled class found, the loss returned as a"
                + " NumPy scalar), against the same step through `Session.run` (what `kiln train` calls), in a"
                + " warmed-up JVM, same run.\n\n");
        sb.append("| path | µs per step | allocated per step |\n|---|---:|---:|\n");
        sb.append(row("`Session.run` (`ExecStep.session`)", session));
        sb.append(row("`sess.run` in a program (`ExecStep.program`)", program));
        sb.append(String.format(Locale.ROOT, "%nThe program's `sess.run` costs %.2f× the bare step: %s µs more.%n%n",
                program.micros() / session.micros(), Report.fmt(program.micros() - session.micros())));
        return sb.toString();
    }

    private static String row(String label, Results.Row r) {
        double err = r.errorMicros();
        return "| " + label + " | " + Report.fmt(r.micros()) + " ± " + (Double.isNaN(err) ? "?" : Report.fmt(err))
                + " | " + (r.allocBytes() == null ? "—" : Report.bytes(r.allocBytes())) + " |\n";
    }

    private static Results.Row find(List<Results.Row> rows, String engine) {
        return rows.stream().filter(r -> r.engine().equals(engine)).findFirst().orElse(null);
    }
}
