package dev.kiln.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The page's section on compile time against graph size ({@link CompileTimeBySize}): time per compile
 * and per 1,000 nodes for each size, so that linear growth shows as a constant column.
 */
final class CompileScalingSection {
    /** The benchmark's key in {@link Results.Row#graphKey}. */
    static final String KEY = "CompileTimeBySize";

    private CompileScalingSection() {}

    /** The section, from every result row; {@code nodesOf} gives the node count of the graph for a {@code nodes} parameter. */
    static String render(List<Results.Row> rows, IntUnaryOperator nodesOf) {
        List<Results.Row> sized = new ArrayList<>(rows.stream().filter(r -> r.graphKey().equals(KEY)).toList());
        sized.sort(Comparator.comparingInt(CompileScalingSection::param));
        StringBuilder sb = new StringBuilder("## Compile time vs graph size\n\n");
        sb.append("From a training graph of a given size to a session ready to run, in a warm JVM:"
                + " `Kiln.compile(graph, new Options().backend(\"scalar\"))`, which optimizes, plans, generates,"
                + " defines and constructs the class (the JVM verifies it then) and initializes the variables. The"
                + " graphs (`BigGraph.java`) are stacks of small residual blocks, each with its own variables, many with"
                + " their own placeholder, some with longer elementwise chains, a transposed product or a fan of"
                + " branches, each adding a reduction to the loss; then the gradients and an SGD assign per variable."
                + " When compile time grows linearly with the node count, the time per 1,000 nodes stays the same.\n\n");
        if (sized.isEmpty()) {
            return sb.append("Not measured in this run.\n\n").toString();
        }
        sb.append("| nodes | ms per compile | ms per 1,000 nodes | per 1,000 nodes, vs the smallest graph |\n");
        sb.append("|---:|---:|---:|---:|\n");
        double base = Double.NaN;
        for (Results.Row r : sized) {
            int nodes = nodesOf.applyAsInt(param(r));
            double ms = Results.micros(r.score(), r.unit()) / 1000;
            double err = Results.micros(r.error(), r.unit()) / 1000;
            double perThousand = ms / (nodes / 1000.0);
            if (Double.isNaN(base)) {
                base = perThousand;
            }
            sb.append("| ").append(String.format(Locale.ROOT, "%,d", nodes)).append(" | ").append(Report.fmt(ms))
                    .append(" ± ").append(Double.isNaN(err) ? "?" : Report.fmt(err)).append(" | ")
                    .append(Report.fmt(perThousand)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f×", perThousand / base)).append(" |\n");
        }
        Map<String, Object> first = sized.get(0).raw();
        sb.append("\nEach row: ").append(Results.count(first.get("forks"))).append(" fork(s) × ")
                .append(Results.count(first.get("measurementIterations"))).append(" iterations of ")
                .append(first.getOrDefault("measurementTime", "?")).append(", after ")
                .append(Results.count(first.get("warmupIterations"))).append(" warmup iterations of ")
                .append(first.getOrDefault("warmupTime", "?")).append("; ± is JMH's 99.9% confidence half-width.\n\n");
        return sb.toString();
    }

    private static int param(Results.Row r) {
        Object p = ((Map<?, ?>) r.raw().getOrDefault("params", Map.of())).get("nodes");
        return p == null ? 0 : Integer.parseInt(String.valueOf(p));
    }
}
