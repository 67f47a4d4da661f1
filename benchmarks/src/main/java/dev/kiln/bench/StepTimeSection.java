package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's table of time per run in a warmed-up JVM: every graph and engine of the steady-state run,
 * with GFLOP/s, the share of one core's peak, ratios to TensorFlow and to the interpreter, and
 * allocation per run.
 */
final class StepTimeSection {
    private StepTimeSection() {}

    /** The steady-state rows: averages, except compile times. */
    static List<Results.Row> steady(List<Results.Row> rows) {
        return rows.stream().filter(r -> r.mode().equals("avgt") && !r.graphKey().equals("CompileTime")
                && !r.graphKey().equals(CompileScalingSection.KEY)).toList();
    }

    static String render(List<Results.Row> rows, double peak) {
        StringBuilder sb = new StringBuilder();
        List<Results.Row> steady = steady(rows);
        sb.append("## Time per run\n\n");
        sb.append("Mean time per call, with JMH's 99.9% confidence half-width, in a warmed-up JVM; one thread. ");
        Map<String, Object> first = steady.isEmpty() ? Map.of() : steady.get(0).raw();
        sb.append("Each row: ").append(Results.count(first.get("forks"))).append(" fork(s) × ")
                .append(Results.count(first.get("measurementIterations"))).append(" iterations of ")
                .append(first.getOrDefault("measurementTime", "?")).append(", after ")
                .append(Results.count(first.get("warmupIterations"))).append(" warmup iterations of ")
                .append(first.getOrDefault("warmupTime", "?")).append(".\n\n");
        sb.append("| graph | engine | µs per run | GFLOP/s | of one-core peak | speed vs TF 1 thread | speed vs interpreter | allocated per run |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        List<Report.GraphInfo> infos = Report.graphs();
        boolean coldRows = false;
        for (Report.GraphInfo gi : infos) {
            List<Results.Row> g = new ArrayList<>(steady.stream().filter(r -> r.graphKey().equals(gi.key())).toList());
            g.sort(Report::compareEngines);
            Results.Row tf1 = g.stream().filter(r -> r.engine().equals("tensorflow (1 thread)")).findFirst().orElse(null);
            Results.Row interp = g.stream().filter(r -> r.engine().equals("interpreter")).findFirst().orElse(null);
            for (Results.Row r : g) {
                double us = r.micros();
                double err = r.errorMicros();
                boolean cold = Report.notWarm(r);
                coldRows |= cold;
                sb.append("| ").append(gi.label()).append(" | ").append(Report.engineLabel(r.engine())).append(" | ")
                        .append(Report.fmt(us)).append(" ± ").append(Double.isNaN(err) ? "?" : Report.fmt(err)).append(cold ? " †" : "")
                        .append(" | ");
                if (gi.flops() > 0) {
                    double gflops = gi.flops() / (us * 1e3);
                    sb.append(String.format(Locale.ROOT, "%.1f", gflops)).append(" | ")
                            .append(String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak)).append(" | ");
                } else {
                    sb.append("— | — | ");
                }
                sb.append(Report.ratio(tf1, us)).append(" | ").append(Report.ratio(interp, us)).append(" | ")
                        .append(r.allocBytes() == null ? "—" : Report.bytes(r.allocBytes())).append(" |\n");
            }
        }
        sb.append("\n");
        if (coldRows) {
            sb.append("- † Not warmed up: this compiled row allocated more than ").append(Report.bytes(Report.COLD_ALLOC))
                    .append(" per run, the sign that its Vector API code was still running before C2 had compiled it"
                            + " (warmed up, Kiln's code allocates nothing), so its time is mostly that of the slow start,"
                            + " not the steady state. It needs a longer warmup, such as the full run's.\n");
        }
        sb.append("- **Speed vs X** is X's time divided by this row's time, both from this run: above 1× is faster than X.\n");
        sb.append("- **GFLOP/s** counts, over the nodes a run needs in the graph as written (before Kiln's optimizer),"
                + " 2·m·n·k per matrix product [m,k]·[k,n] and 2 per element of each variable an SGD assign updates"
                + " (`w - lr·g`); elementwise ops, reductions and transcendentals are not counted. Per run: ");
        List<String> fl = new ArrayList<>();
        for (Report.GraphInfo gi : infos) {
            if (gi.flops() > 0) {
                fl.add(gi.label() + " " + String.format(Locale.ROOT, "%.2f", gi.flops() / 1e6) + " MFLOP");
            }
        }
        sb.append(String.join("; ", fl)).append(". The elementwise graph has no matrix product, so no GFLOP/s is given for it.\n");
        sb.append("- **Of one-core peak** divides by ").append(Report.fmt(peak))
                .append(" GFLOP/s, the one-core float32 peak the shared reference README measured (a loop of fused"
                        + " multiply-adds) on its 2-core AMD EPYC Zen 4 machine.");
        if (!Report.cpuModel().contains("AMD EPYC")) {
            sb.append(" **This run's CPU is not that one**, so read this column as indicative only.");
        } else if (!Report.hasAvx512()) {
            sb.append(" **This run's CPU has no AVX-512** (256-bit vectors, 8 floats each, 16 vector registers), so its"
                    + " peak is lower than that machine's and this column understates how close to its own peak a row"
                    + " comes.");
        }
        sb.append(" The threads2 rows use two threads.\n");
        sb.append("- **Allocated per run** is JMH's `gc.alloc.rate.norm` (`-prof gc`): bytes allocated by the benchmark"
                + " thread per call.\n");
        List<String> stepAlloc = new ArrayList<>();
        for (Results.Row r : steady) {
            if (r.graphKey().equals("TwoLayerStep") && r.engine().startsWith("compiled") && r.allocBytes() != null) {
                stepAlloc.add(Report.bytes(r.allocBytes()) + " (" + r.engine() + ")");
            }
        }
        if (!stepAlloc.isEmpty()) {
            sb.append("- Allocation per compiled canonical step, as measured: ").append(String.join(", ", stepAlloc))
                    .append(". Kiln's generated code allocates nothing itself (its tests check that no allocation"
                            + " instruction is reachable), so a few dozen bytes on a call of milliseconds are"
                            + " consistent with JMH's own allocation per iteration shared among few calls; kilobytes"
                            + " or more mean Vector API code still running before C2 compiled it (until then every"
                            + " vector operation allocates an object).\n");
        }
        sb.append("\n");
        return sb.toString();
    }
}
