package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;

/** The page's table of compile times ({@link CompileTime}): the first compile in a fresh JVM and in a warm one. */
final class CompileTimeSection {
    private CompileTimeSection() {}

    static String render(List<Results.Row> rows) {
        StringBuilder sb = new StringBuilder();
        List<Results.Row> compile = new ArrayList<>(rows.stream().filter(r -> r.graphKey().equals("CompileTime")).toList());
        compile.sort(java.util.Comparator.comparing((Results.Row r) -> r.mode()).reversed().thenComparingInt(Report::variantRank));
        sb.append("## Compile time\n\n");
        sb.append("From the parsed canonical graph to an instance ready to run: `Kiln.compile(graph, TrainStep.class,"
                + " new Options().batch(64)...)`, which optimizes, plans, generates and loads the class and initializes"
                + " the variables.\n\n");
        if (compile.isEmpty()) {
            sb.append("Not measured in this run.\n\n");
        } else {
            sb.append("| what | engine | mean | min | max | forks × measurements |\n|---|---|---:|---:|---:|---:|\n");
            for (Results.Row r : compile) {
                String what = r.benchmark().endsWith("firstCompile") ? "first compile in a fresh JVM (single shot)"
                        : "compile in a warm JVM (average)";
                double ms = r.micros() / 1000;
                double err = r.errorMicros() / 1000;
                String min = r.mode().equals("ss") ? Report.fmt(r.percentileMicros("0.0") / 1000) + " ms" : "—";
                String max = r.mode().equals("ss") ? Report.fmt(r.percentileMicros("100.0") / 1000) + " ms" : "—";
                sb.append("| ").append(what).append(" | ").append(r.engine().replaceFirst("^\\w+", "compiled")).append(" | ")
                        .append(Report.fmt(ms)).append(" ± ").append(Double.isNaN(err) ? "?" : Report.fmt(err)).append(" ms | ")
                        .append(min).append(" | ").append(max).append(" | ")
                        .append(Results.count(r.raw().get("forks"))).append(" × ").append(Results.count(r.raw().get("measurementIterations")))
                        .append(" |\n");
            }
            sb.append("\n");
        }
        return sb.toString();
    }
}
