package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The page's section for a second, shorter run on an older JDK (17, Kiln's floor): the canonical graphs
 * in a warmed-up JVM for every variant (the launcher and {@code auto} take the vector backend there too)
 * against the interpreter and TensorFlow on the same JDK, and the canonical job in fresh JVMs.
 */
final class OlderJdkSection {
    private OlderJdkSection() {}

    /** The section from the older JDK's rows, steady-state and first-steps together; empty without rows. */
    static String render(List<Results.Row> rows, String command) {
        if (rows.isEmpty()) {
            return "";
        }
        Object jdk = rows.get(0).raw().getOrDefault("jdkVersion", "?");
        List<Results.Row> steady = StepTimeSection.steady(rows);
        StringBuilder sb = new StringBuilder();
        sb.append("\n## On JDK ").append(jdk).append("\n\n");
        sb.append("The canonical graphs again on JDK ").append(jdk)
                .append(", Kiln's floor, in the same run (command `").append(command)
                .append("`), with `--add-modules jdk.incubator.vector` as the launcher runs it.\n\n");
        sb.append("| graph | engine | µs per run | speed vs TF 1 thread | speed vs interpreter | allocated per run |\n"
                + "|---|---|---:|---:|---:|---:|\n");
        for (Report.GraphInfo gi : Report.graphs()) {
            List<Results.Row> g = new ArrayList<>(steady.stream().filter(r -> r.graphKey().equals(gi.key())).toList());
            g.sort(Report::compareEngines);
            Results.Row interp = g.stream().filter(r -> r.engine().equals("interpreter")).findFirst().orElse(null);
            Results.Row tf1 = g.stream().filter(r -> r.engine().equals("tensorflow (1 thread)")).findFirst().orElse(null);
            for (Results.Row r : g) {
                double us = r.micros();
                sb.append("| ").append(gi.label()).append(" | ").append(r.engine()).append(" | ")
                        .append(Report.fmt(us)).append(" ± ").append(Report.fmt(r.errorMicros()))
                        .append(Report.notWarm(r) ? " †" : "").append(" | ").append(Report.ratio(tf1, us)).append(" | ")
                        .append(Report.ratio(interp, us)).append(" | ")
                        .append(r.allocBytes() == null ? "—" : Report.bytes(r.allocBytes())).append(" |\n");
            }
        }
        sb.append("\n### The canonical job in a fresh JVM on JDK ").append(jdk).append("\n\n");
        sb.append(FirstStepsSection.table(rows, steady));
        return sb.toString();
    }
}
