package dev.kiln.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders JMH JSON results into {@code docs/benchmarks.md}. Run by {@code benchmarks/run}:
 *
 * <pre>
 * java -cp ... dev.kiln.bench.Report --out docs/benchmarks.md --command "benchmarks/run ..." \
 *     [--peak-gflops 116] [--mode quick|full] RESULT.json...
 * </pre>
 *
 * Every figure in the document comes from the JSON files; ratios are taken between rows of the same
 * files, i.e. measured in the same run.
 */
public final class Report {
    private Report() {}

    /** One-core float32 peak from the shared reference README (a loop of fused multiply-adds). */
    static final double DEFAULT_PEAK_GFLOPS = 116;

    /** One JMH result row. */
    record Row(String benchmark, String graphKey, String engine, String mode, double score, double error,
            String unit, Double allocBytes, Map<String, Object> raw) {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of("docs/benchmarks.md");
        String command = "benchmarks/run";
        String runMode = "full";
        double peak = DEFAULT_PEAK_GFLOPS;
        List<Path> inputs = new ArrayList<>();
        Path older = null;
        String olderCommand = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--older" -> older = Path.of(args[++i]);
                case "--older-command" -> olderCommand = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--mode" -> runMode = args[++i];
                case "--peak-gflops" -> peak = Double.parseDouble(args[++i]);
                default -> inputs.add(Path.of(args[i]));
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isRegularFile(p)) {
                for (Object o : (List<?>) Json.parse(Files.readString(p, StandardCharsets.UTF_8))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) o;
                    results.add(m);
                }
            }
        }
        String md = render(results, command, runMode, peak, inputs);
        if (older != null && Files.isRegularFile(older)) {
            List<Map<String, Object>> olderResults = new ArrayList<>();
            for (Object o : (List<?>) Json.parse(Files.readString(older, StandardCharsets.UTF_8))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                olderResults.add(m);
            }
            md += OlderJdkSection.render(olderResults, olderCommand);
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + results.size() + " results)");
    }

    // ---------------------------------------------------------------------------------------------

    /** Row label of a graph key, the FLOPs of one op (0 when not counted), in display order. */
    record GraphInfo(String key, String label, long flops) {}

    static List<GraphInfo> graphs() {
        List<GraphInfo> g = new ArrayList<>();
        g.add(new GraphInfo("TwoLayerStep", "canonical step, batch 64", Models.flops("two_layer", 64, true)));
        g.add(new GraphInfo("TwoLayerForward batch=64", "canonical forward, batch 64", Models.flops("two_layer", 64, false)));
        g.add(new GraphInfo("TwoLayerForward batch=1", "canonical forward, batch 1", Models.flops("two_layer", 1, false)));
        g.add(new GraphInfo("ElementwiseStep", "elementwise step, batch 64", 0));
        g.add(new GraphInfo("Mlp4Step", "mlp4 step, batch 64", Models.flops("mlp4", 64, true)));
        return g;
    }

    static final List<String> ENGINE_ORDER = List.of("compiled", "handwritten", "interpreter", "tensorflow");

    static Row row(Map<String, Object> r) {
        String bench = (String) r.get("benchmark");
        String method = bench.substring(bench.lastIndexOf('.') + 1);
        String cls = bench.substring(0, bench.lastIndexOf('.'));
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        if (cls.endsWith("Tf")) {
            cls = cls.substring(0, cls.length() - 2);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) r.getOrDefault("params", Map.of());
        String key = cls;
        if (params.containsKey("batch")) {
            key += " batch=" + params.get("batch");
        }
        String engine = method;
        if (params.containsKey("variant")) {
            engine += " (" + params.get("variant") + ")";
        }
        if (params.containsKey("tfThreads")) {
            engine += "1".equals(params.get("tfThreads")) ? " (1 thread)" : " (" + params.get("tfThreads") + " threads)";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pm = (Map<String, Object>) r.get("primaryMetric");
        @SuppressWarnings("unchecked")
        Map<String, Object> secondary = (Map<String, Object>) r.getOrDefault("secondaryMetrics", Map.of());
        Double alloc = null;
        if (secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> a) {
            alloc = num(a.get("score"));
        }
        return new Row(bench, key, engine, (String) r.get("mode"), num(pm.get("score")), num(pm.get("scoreError")),
                (String) pm.get("scoreUnit"), alloc, r);
    }

    static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) { // JMH writes "NaN"
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The time of a row in microseconds. */
    static double micros(double v, String unit) {
        return switch (unit) {
            case "ns/op" -> v / 1000;
            case "us/op" -> v;
            case "ms/op" -> v * 1000;
            case "s/op" -> v * 1e6;
            default -> Double.NaN;
        };
    }

    /** Engines in {@link #ENGINE_ORDER}, compiled variants in {@link Variants#ALL} order. */
    static int compareEngines(Row a, Row b) {
        int c = Integer.compare(engineRank(a.engine()), engineRank(b.engine()));
        if (c != 0) {
            return c;
        }
        int va = variantRank(a);
        int vb = variantRank(b);
        return va != vb ? Integer.compare(va, vb) : a.engine().compareTo(b.engine());
    }

    static int variantRank(Row r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) r.raw().getOrDefault("params", Map.of());
        int i = Variants.ALL.indexOf(String.valueOf(params.get("variant")));
        return i < 0 ? Variants.ALL.size() : i;
    }

    static int engineRank(String engine) {
        for (int i = 0; i < ENGINE_ORDER.size(); i++) {
            if (engine.startsWith(ENGINE_ORDER.get(i))) {
                return i;
            }
        }
        return ENGINE_ORDER.size();
    }

    static String render(List<Map<String, Object>> results, String command, String runMode, double peak, List<Path> inputs) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> r : results) {
            rows.add(row(r));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmarks\n\n");
        sb.append("<!-- Generated by benchmarks/run (dev.kiln.bench.Report) from the JMH results in benchmarks/results/."
                + " Edit Report.java, not this file. -->\n\n");
        sb.append("Kiln's compiled class against Kiln's interpreter, a hand-written Java implementation and TensorFlow"
                + " Java 1.1.0, on the same graphs, the same data and the same starting weights, measured side by"
                + " side in one run with JMH. Every figure below is from that run.\n\n");
        if (runMode.equals("quick")) {
            sb.append("> **This is a quick run** (`--quick`: one fork, short warmup and measurement). Its figures are a"
                    + " smoke check, not measurements to quote; run `benchmarks/run --tensorflow` for those. Error bars"
                    + " from three iterations are wide, and the vector variant may not be fully warmed up (its"
                    + " allocation per run is a sign: Vector API code allocates until C2 compiles it).\n\n");
        }
        sb.append("> The machine is shared: 2 cores, with other engineers' builds and tests running at the same time"
                + " as these benchmarks. Expect noise of 10–30% between runs; compare rows of one run, not runs.\n\n");

        // --- the run ---
        sb.append("## The run\n\n");
        Map<String, Object> any = results.isEmpty() ? Map.of() : results.get(0);
        sb.append("| | |\n|---|---|\n");
        sb.append("| date | ").append(resultsDate(inputs).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" |\n");
        sb.append("| command | `").append(command.replace("|", "\\|")).append("` |\n");
        sb.append("| JDK | ").append(any.getOrDefault("jdkVersion", System.getProperty("java.version"))).append(", ")
                .append(any.getOrDefault("vmName", System.getProperty("java.vm.name"))).append(" ")
                .append(any.getOrDefault("vmVersion", System.getProperty("java.vm.version"))).append(" |\n");
        Object jvmArgs = any.get("jvmArgs");
        if (jvmArgs instanceof List<?> l && !l.isEmpty()) {
            sb.append("| JVM options | `").append(String.join(" ", l.stream().map(String::valueOf).toList())).append("` |\n");
        }
        sb.append("| JMH | ").append(any.getOrDefault("jmhVersion", "?")).append(" |\n");
        sb.append("| CPU | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible to the JVM |\n");
        sb.append("| results | ");
        List<String> names = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isRegularFile(p)) {
                names.add("`" + p + "`");
            }
        }
        sb.append(String.join(", ", names)).append(" |\n\n");

        // --- steady state ---
        List<Row> steady = rows.stream().filter(r -> r.mode().equals("avgt") && !r.graphKey().equals("CompileTime")
                && !r.graphKey().equals(CompileScalingSection.KEY)).toList();
        sb.append("## Time per run\n\n");
        sb.append("Mean time per call, with JMH's 99.9% confidence half-width, in a warmed-up JVM; one thread. ");
        Map<String, Object> first = steady.isEmpty() ? Map.of() : steady.get(0).raw();
        sb.append("Each row: ").append(count(first.get("forks"))).append(" fork(s) × ")
                .append(count(first.get("measurementIterations"))).append(" iterations of ")
                .append(first.getOrDefault("measurementTime", "?")).append(", after ")
                .append(count(first.get("warmupIterations"))).append(" warmup iterations of ")
                .append(first.getOrDefault("warmupTime", "?")).append(".\n\n");
        sb.append("| graph | engine | µs per run | GFLOP/s | of one-core peak | speed vs TF 1 thread | speed vs interpreter | allocated per run |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        List<GraphInfo> infos = graphs();
        boolean coldRows = false;
        for (GraphInfo gi : infos) {
            List<Row> g = new ArrayList<>(steady.stream().filter(r -> r.graphKey().equals(gi.key())).toList());
            g.sort(Report::compareEngines);
            Row tf1 = g.stream().filter(r -> r.engine().equals("tensorflow (1 thread)")).findFirst().orElse(null);
            Row interp = g.stream().filter(r -> r.engine().equals("interpreter")).findFirst().orElse(null);
            for (Row r : g) {
                double us = micros(r.score(), r.unit());
                double err = micros(r.error(), r.unit());
                boolean cold = notWarm(r);
                coldRows |= cold;
                sb.append("| ").append(gi.label()).append(" | ").append(engineLabel(r.engine())).append(" | ")
                        .append(fmt(us)).append(" ± ").append(Double.isNaN(err) ? "?" : fmt(err)).append(cold ? " †" : "")
                        .append(" | ");
                if (gi.flops() > 0) {
                    double gflops = gi.flops() / (us * 1e3);
                    sb.append(String.format(Locale.ROOT, "%.1f", gflops)).append(" | ")
                            .append(String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak)).append(" | ");
                } else {
                    sb.append("— | — | ");
                }
                sb.append(ratio(tf1, us)).append(" | ").append(ratio(interp, us)).append(" | ")
                        .append(r.allocBytes() == null ? "—" : bytes(r.allocBytes())).append(" |\n");
            }
        }
        sb.append("\n");
        if (coldRows) {
            sb.append("- † Not warmed up: this compiled row allocated more than ").append(bytes(COLD_ALLOC))
                    .append(" per run, the sign that its Vector API code was still running before C2 had compiled it"
                            + " (warmed up, Kiln's code allocates nothing), so its time is mostly that of the slow start,"
                            + " not the steady state. It needs a longer warmup, such as the full run's.\n");
        }
        sb.append("- **Speed vs X** is X's time divided by this row's time, both from this run: above 1× is faster than X.\n");
        sb.append("- **GFLOP/s** counts, over the nodes a run needs in the graph as written (before Kiln's optimizer),"
                + " 2·m·n·k per matrix product [m,k]·[k,n] and 2 per element of each variable an SGD assign updates"
                + " (`w - lr·g`); elementwise ops, reductions and transcendentals are not counted. Per run: ");
        List<String> fl = new ArrayList<>();
        for (GraphInfo gi : infos) {
            if (gi.flops() > 0) {
                fl.add(gi.label() + " " + String.format(Locale.ROOT, "%.2f", gi.flops() / 1e6) + " MFLOP");
            }
        }
        sb.append(String.join("; ", fl)).append(". The elementwise graph has no matrix product, so no GFLOP/s is given for it.\n");
        sb.append("- **Of one-core peak** divides by ").append(fmt(peak))
                .append(" GFLOP/s, the one-core float32 peak the shared reference README measured (a loop of fused"
                        + " multiply-adds) on its 2-core AMD EPYC Zen 4 machine.");
        if (!cpuModel().contains("AMD EPYC")) {
            sb.append(" **This run's CPU is not that one**, so read this column as indicative only.");
        }
        sb.append(" The threads2 rows use two threads.\n");
        sb.append("- **Allocated per run** is JMH's `gc.alloc.rate.norm` (`-prof gc`): bytes allocated by the benchmark"
                + " thread per call.\n");
        List<String> stepAlloc = new ArrayList<>();
        for (Row r : steady) {
            if (r.graphKey().equals("TwoLayerStep") && r.engine().startsWith("compiled") && r.allocBytes() != null) {
                stepAlloc.add(bytes(r.allocBytes()) + " (" + r.engine() + ")");
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

        // --- compile time ---
        // --- compiled variants ---
        java.util.Set<String> variants = new java.util.TreeSet<>(java.util.Comparator.comparingInt(v -> {
            int i = Variants.ALL.indexOf(v);
            return i < 0 ? Variants.ALL.size() : i;
        }));
        for (Row r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) r.raw().getOrDefault("params", Map.of());
            if (params.get("variant") instanceof String v) {
                variants.add(v);
            }
        }
        if (!variants.isEmpty()) {
            sb.append("Compiled variants (`Variants.java`): ");
            List<String> d = new ArrayList<>();
            for (String v : variants) {
                d.add("**" + v + "**: " + Variants.describe(v));
            }
            sb.append(String.join("; ", d)).append(".\n\n");
        }

        List<Row> compile = new ArrayList<>(rows.stream().filter(r -> r.graphKey().equals("CompileTime")).toList());
        compile.sort(java.util.Comparator.comparing((Row r) -> r.mode()).reversed().thenComparingInt(Report::variantRank));
        sb.append("## Compile time\n\n");
        sb.append("From the parsed canonical graph to an instance ready to run: `Kiln.compile(graph, TrainStep.class,"
                + " new Options().batch(64)...)`, which optimizes, plans, generates and loads the class and initializes"
                + " the variables.\n\n");
        if (compile.isEmpty()) {
            sb.append("Not measured in this run.\n\n");
        } else {
            sb.append("| what | engine | mean | min | max | forks × measurements |\n|---|---|---:|---:|---:|---:|\n");
            for (Row r : compile) {
                String what = r.benchmark().endsWith("firstCompile") ? "first compile in a fresh JVM (single shot)"
                        : "compile in a warm JVM (average)";
                @SuppressWarnings("unchecked")
                Map<String, Object> pm = (Map<String, Object>) r.raw().get("primaryMetric");
                @SuppressWarnings("unchecked")
                Map<String, Object> pct = (Map<String, Object>) pm.getOrDefault("scorePercentiles", Map.of());
                double ms = micros(r.score(), r.unit()) / 1000;
                double err = micros(r.error(), r.unit()) / 1000;
                String min = r.mode().equals("ss") ? fmt(micros(num(pct.get("0.0")), r.unit()) / 1000) + " ms" : "—";
                String max = r.mode().equals("ss") ? fmt(micros(num(pct.get("100.0")), r.unit()) / 1000) + " ms" : "—";
                sb.append("| ").append(what).append(" | ").append(r.engine().replaceFirst("^\\w+", "compiled")).append(" | ")
                        .append(fmt(ms)).append(" ± ").append(Double.isNaN(err) ? "?" : fmt(err)).append(" ms | ")
                        .append(min).append(" | ").append(max).append(" | ")
                        .append(count(r.raw().get("forks"))).append(" × ").append(count(r.raw().get("measurementIterations")))
                        .append(" |\n");
            }
            sb.append("\n");
        }

        sb.append(CompileScalingSection.render(rows, Report::nodesOfAbout));

        // --- what is measured ---
        sb.append("## What is measured\n\n");
        sb.append("""
                Graphs (sources in `benchmarks/src/main/java/dev/kiln/bench/`; `Models.java` holds the graphs and data):

                - **canonical step**: `examples/two_layer.kiln` at batch 64, fetch `loss`, perform both assigns, fed
                  with the reference case's x and y (`src/test/resources/reference/seed-2layer`) and started from
                  its w1 and w2. The weights keep training from one call to the next, as in use.
                - **canonical forward**: the same graph fetching `y_pred` with no assigns, at batch 64 (throughput)
                  and batch 1 (latency: the first row of x).
                - **elementwise step**: `benchmarks/graphs/elementwise.kiln`, x [64,1024]: `z = x·w + b`, tanh,
                  sigmoid and exp chains, a mean squared error, SGD on w and b ([1024] each).
                - **mlp4 step**: `benchmarks/graphs/mlp4.kiln`, four 256×256 layers with ReLU, batch 64, mean
                  squared error, SGD on every weight.

                Engines:

                - **compiled (variant)**: the class `Kiln.compile(graph, TrainStep.class, options)` generates,
                  called through the interface (`float run(float[] x, float[] y)`, or `float[] run(float[] x)` for
                  the forward pass). The variant maps to `Options` in `Variants.java` (listed under the table above).
                - **interpreter**: `Kiln.session(..., Engine.INTERPRETER, ...)` with prebuilt `Tensor` feeds: Kiln's
                  reference interpreter, op by op.
                - **handwritten**: `HandWritten.java`, the canonical step and forward pass in plain Java with
                  preallocated buffers and i-k-j matrix products four rows at a time; its losses match the reference
                  trajectory (checked by `BenchmarksSmokeTest`).
                - **tensorflow (1 thread / default threads)**: TensorFlow Java 1.1.0 (`-Ptensorflow`), the same graphs
                  built with its ops API in `benchmarks/src/tensorflow/java/`, the assigns under control dependencies
                  on every gradient (the canonical TF1 ordering), run in a `Session` with one intra-op and one
                  inter-op thread, and with TensorFlow's defaults. Each call feeds prebuilt tensors and copies the
                  fetch out. Before measuring, each TensorFlow benchmark checks that it computes what Kiln does and
                  refuses to run otherwise: the canonical step's first 5 losses against the reference
                  `tf_loss.txt` (by the reference README's rule), the other steps' first 3 losses against Kiln's
                  interpreter (within 1e-4 relative), the forward pass's outputs against the interpreter's.

                To run: `benchmarks/run [--quick] [--tensorflow] [--filter REGEX] [--variants LIST] [-- JMH options]`
                (`benchmarks/run --help` says more). It writes the JMH JSON to `benchmarks/results/` and this page
                from it.
                """);
        return sb.toString();
    }

    /** The node count of {@link BigGraph#ofAbout}'s graph, which {@link CompileTimeBySize} compiles. */
    static int nodesOfAbout(int nodes) {
        return BigGraph.ofAbout(nodes).nodes().size();
    }

    /** When the results were written: the newest input file's modification time (now if none). */
    static ZonedDateTime resultsDate(List<Path> inputs) {
        long newest = 0;
        for (Path p : inputs) {
            try {
                if (Files.isRegularFile(p)) {
                    newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
                }
            } catch (IOException e) {
                // keep the others
            }
        }
        return newest == 0 ? ZonedDateTime.now(ZoneOffset.UTC)
                : ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(newest), ZoneOffset.UTC);
    }

    /** Allocation per run above which a compiled row is taken as not warmed up. */
    static final double COLD_ALLOC = 64 * 1024;

    static boolean notWarm(Row r) {
        return r.engine().startsWith("compiled") && r.allocBytes() != null && r.allocBytes() > COLD_ALLOC;
    }

    /** A count from the JSON (parsed as a double) as an integer. */
    static String count(Object o) {
        double v = num(o);
        return Double.isNaN(v) ? "?" : String.valueOf(Math.round(v));
    }

    static String engineLabel(String engine) {
        return engine;
    }

    static String ratio(Row ref, double us) {
        if (ref == null) {
            return "—";
        }
        double r = micros(ref.score(), ref.unit()) / us;
        return r >= 10 ? String.format(Locale.ROOT, "%.0f×", r) : String.format(Locale.ROOT, "%.2f×", r);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "?";
        }
        if (b < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1f MiB", b / (1024 * 1024));
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** Just enough JSON for JMH's result files: objects, arrays, strings, numbers, true/false/null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != j.s.length()) {
                throw j.error("trailing characters");
            }
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek('}')) {
                        return m;
                    }
                    do {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek(']')) {
                        return l;
                    }
                    do {
                        l.add(value());
                        ws();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected '" + c + "'");
                    }
                    return Double.parseDouble(s.substring(start, i));
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            ws();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            ws();
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }
    }
}
