package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The page's section for a second, shorter run on an older JDK (17, Kiln's floor): there the vector
 * backend is not used, so it shows what the scalar backend gives against the interpreter on the same JDK.
 */
final class OlderJdkSection {
    private OlderJdkSection() {}

    static String render(List<Map<String, Object>> results, String command) {
        if (results.isEmpty()) {
            return "";
        }
        List<Report.Row> rows = new ArrayList<>();
        for (Map<String, Object> r : results) {
            rows.add(Report.row(r));
        }
        Object jdk = results.get(0).getOrDefault("jdkVersion", "?");
        StringBuilder sb = new StringBuilder();
        sb.append("\n## On JDK ").append(jdk).append(" (the scalar backend)\n\n");
        sb.append("The same benchmarks on JDK ").append(jdk).append(", Kiln's floor, where `auto` picks the scalar backend.")
                .append(" Command: `").append(command).append("`.\n\n");
        sb.append("| graph | engine | µs per run | speed vs interpreter | allocated per run |\n|---|---|---:|---:|---:|\n");
        for (Report.GraphInfo gi : Report.graphs()) {
            List<Report.Row> g = new ArrayList<>(rows.stream().filter(r -> r.graphKey().equals(gi.key())
                    && r.mode().equals("avgt")).toList());
            g.sort(Report::compareEngines);
            Report.Row interp = g.stream().filter(r -> r.engine().equals("interpreter")).findFirst().orElse(null);
            for (Report.Row r : g) {
                double us = Report.micros(r.score(), r.unit());
                sb.append("| ").append(gi.label()).append(" | ").append(r.engine()).append(" | ")
                        .append(Report.fmt(us)).append(" ± ").append(Report.fmt(Report.micros(r.error(), r.unit())))
                        .append(" | ").append(Report.ratio(interp, us)).append(" | ")
                        .append(r.allocBytes() == null ? "—" : Report.bytes(r.allocBytes())).append(" |\n");
            }
        }
        return sb.toString();
    }
}
