package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The page's table of the canonical job in fresh JVMs ({@link FirstSteps} and TensorFlow's twin): compile
 * (or TensorFlow's session) plus the first {@value FirstSteps#STEPS} steps, one shot per fork, and beside
 * each compiled variant the mean of its first steps against its steady-state step from the same page.
 */
final class FirstStepsSection {
    /** The benchmark's key in {@link Results.Row#graphKey}. */
    static final String KEY = "FirstSteps";

    private FirstStepsSection() {}

    /**
     * The table for the rows of one JDK: {@code rows} holds the first-steps rows (other rows are ignored),
     * {@code steady} the steady-state rows of the same JDK ({@code TwoLayerStep}), possibly none.
     */
    static String table(List<Results.Row> rows, List<Results.Row> steady) {
        List<Results.Row> first = rows.stream().filter(r -> r.graphKey().equals(KEY)).toList();
        if (first.isEmpty()) {
            return "Not measured in this run.\n\n";
        }
        Results.Row tf = find(first, "tensorflow");
        StringBuilder sb = new StringBuilder();
        sb.append("| engine | compile + first ").append(FirstSteps.STEPS)
                .append(" steps | min – max | speed vs TF 1 thread | mean of the first steps | steady-state step |"
                        + " first / steady |\n|---|---:|---:|---:|---:|---:|---:|\n");
        List<Results.Row> whole = new ArrayList<>(first.stream().filter(r -> !r.engine().startsWith("steps")).toList());
        whole.sort(Report::compareEngines);
        for (Results.Row r : whole) {
            double ms = r.micros() / 1000;
            sb.append("| ").append(r.engine().replace("tensorflow", "tensorflow (1 thread)")).append(" | ")
                    .append(Report.fmt(ms)).append(" ± ").append(Report.fmt(r.errorMicros() / 1000)).append(" ms | ")
                    .append(range(r)).append(" | ").append(tf == null ? "—" : Report.ratio(tf, r.micros())).append(" | ");
            Object variant = r.param("variant");
            Results.Row steps = r.engine().startsWith("compiled") ? find(first, "steps (" + variant + ")") : null;
            Results.Row st = r.engine().startsWith("compiled") ? find(steady, "compiled (" + variant + ")") : null;
            double mean = steps == null ? Double.NaN : steps.micros() / FirstSteps.STEPS;
            sb.append(steps == null ? "—" : Report.fmt(mean) + " µs").append(" | ")
                    .append(st == null ? "—" : Report.fmt(st.micros()) + " µs").append(" | ")
                    .append(steps == null || st == null ? "—" : String.format(java.util.Locale.ROOT, "%.2f", mean / st.micros()))
                    .append(" |\n");
        }
        Results.Row any = first.get(0);
        sb.append("\n").append(Results.count(any.raw().get("forks")))
                .append(" fresh JVMs per row, one shot each (JMH `SingleShotTime`); ± is JMH's 99.9% confidence half-width.")
                .append(" **Speed vs TF** is TensorFlow's time divided by the row's: 2× or more is half TensorFlow's"
                        + " time or less.")
                .append(" **Mean of the first steps**: `FirstSteps.steps`, the first ").append(FirstSteps.STEPS)
                .append(" steps of an instance compiled in the setup, divided by ").append(FirstSteps.STEPS)
                .append("; **steady-state step**: the canonical step's row of this JDK's \"time per run\" table, warmed up.\n\n");
        return sb.toString();
    }

    private static Results.Row find(List<Results.Row> rows, String engine) {
        return rows.stream().filter(r -> r.engine().equals(engine) && r.graphKey().matches(KEY + "|TwoLayerStep"))
                .findFirst().orElse(null);
    }

    private static String range(Results.Row r) {
        double min = r.percentileMicros("0.0") / 1000;
        double max = r.percentileMicros("100.0") / 1000;
        return Double.isNaN(min) || Double.isNaN(max) ? "—" : Report.fmt(min) + " – " + Report.fmt(max) + " ms";
    }
}
