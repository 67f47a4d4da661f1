package dev.kiln.bench;

import dev.kiln.bench.Results.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders JMH JSON results into {@code docs/benchmarks.md}. Run by {@code benchmarks/run}:
 *
 * <pre>
 * java -cp ... dev.kiln.bench.Report --out docs/benchmarks.md --command "benchmarks/run ..." \
 *     [--peak-gflops 116] [--mode quick|full] [--first-steps FILE] \
 *     [--older FILE --older-first-steps FILE --older-command "..."] [--whole-process FILE.md] RESULT.json...
 * </pre>
 *
 * Every figure in the document comes from the JSON files; ratios are taken between rows of the same
 * files, i.e. measured in the same run. The page's sections are rendered by the {@code *Section} classes.
 */
public final class Report {
    private Report() {}

    /** One-core float32 peak from the shared reference README (a loop of fused multiply-adds). */
    static final double DEFAULT_PEAK_GFLOPS = 116;

    public static void main(String[] args) throws IOException {
        Path out = Path.of("docs/benchmarks.md");
        String command = "benchmarks/run";
        String runMode = "full";
        double peak = DEFAULT_PEAK_GFLOPS;
        List<Path> inputs = new ArrayList<>();
        List<Path> firstSteps = new ArrayList<>();
        List<Path> older = new ArrayList<>();
        String olderCommand = "";
        String wholeProcess = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--whole-process" -> {
                    Path f = Path.of(args[++i]);
                    wholeProcess = Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
                }
                case "--first-steps" -> firstSteps.add(Path.of(args[++i]));
                case "--older", "--older-first-steps" -> older.add(Path.of(args[++i]));
                case "--older-command" -> olderCommand = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--mode" -> runMode = args[++i];
                case "--peak-gflops" -> peak = Double.parseDouble(args[++i]);
                default -> inputs.add(Path.of(args[i]));
            }
        }
        List<Map<String, Object>> results = Results.read(inputs);
        List<Path> all = new ArrayList<>(inputs);
        all.addAll(firstSteps);
        String md = render(Results.rows(results), Results.rows(Results.read(firstSteps)), command, runMode, peak, all,
                wholeProcess);
        md += OlderJdkSection.render(Results.rows(Results.read(older)), olderCommand);
        md += measured();
        Path spark = Path.of("benchmarks/spark/section.md"); // benchmarks/spark/run's figures, kept by hand
        if (Files.isRegularFile(spark)) {
            md += "\n" + Files.readString(spark, StandardCharsets.UTF_8);
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
        int i = Variants.ALL.indexOf(String.valueOf(r.param("variant")));
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

    static String render(List<Row> rows, List<Row> firstSteps, String command, String runMode, double peak,
            List<Path> inputs, String wholeProcess) {
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
        Map<String, Object> any = rows.isEmpty() ? (firstSteps.isEmpty() ? Map.of() : firstSteps.get(0).raw()) : rows.get(0).raw();
        sb.append("| | |\n|---|---|\n");
        sb.append("| date | ").append(Results.date(inputs).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
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

        sb.append(StepTimeSection.render(rows, peak));
        sb.append(OptimizerStepSection.render(rows));
        sb.append(ExecStepSection.render(rows));
        sb.append("## The canonical job in a fresh JVM\n\n");
        sb.append(FirstStepsSection.table(firstSteps, StepTimeSection.steady(rows)));
        if (!wholeProcess.isBlank()) {
            sb.append("## The canonical job as whole processes\n\n").append(wholeProcess.strip()).append("\n\n");
        }

        // --- compiled variants ---
        java.util.Set<String> variants = new java.util.TreeSet<>(java.util.Comparator.comparingInt(v -> {
            int i = Variants.ALL.indexOf(v);
            return i < 0 ? Variants.ALL.size() : i;
        }));
        for (Row r : rows) {
            if (r.param("variant") instanceof String v) {
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

        sb.append(CompileTimeSection.render(rows));
        sb.append(CompileScalingSection.render(rows, Report::nodesOfAbout));

        return sb.toString();
    }

    /** The page's last section: what each graph and engine is, and how to run. */
    static String measured() {
        return "## What is measured\n\n" + """
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
                - **optimizer steps** (`AdamStep`, `DigitsMlpStep`, `tf/AdamStepTf`, `tf/DigitsMlpStepTf`): the
                  canonical graph trained by `tf.train.AdamOptimizer(1e-4).minimize(loss)`
                  (`benchmarks/graphs/two_layer_adam.kiln`, the canonical data and weights) beside the canonical
                  SGD step in the same run; and `examples/digits_mlp.kiln` (64-128-10 ReLU MLP with biases, sparse
                  softmax cross-entropy on int64 labels, `AdamOptimizer(1e-3)`) at batch 64 on the first 64
                  training images, its variables from Kiln's initializers with seed 0. TensorFlow builds the same
                  forward graphs, takes `tf.gradients` and applies its fused `ApplyAdam` after every gradient, with
                  zero slots and beta powers advanced after the applies, as TF1's `AdamOptimizer` does
                  (`TfOptimizerModel`; one thread). The gradient of the sparse cross-entropy, which TensorFlow's
                  C++ library lacks, is TF1's own (`backprop` scaled by the incoming gradient), registered from Java.
                - **the canonical job in a fresh JVM** (`FirstSteps`, `tf/FirstStepsTf`): one shot per fork, from a
                  parsed graph and data read in the setup: `Kiln.compile` and the first 500 canonical steps (class
                  loading, the JIT and the shared kernels' warm-up included), the interpreter's session and its
                  first 500 steps, TensorFlow's graph, one-thread session, initialization and first 500 steps (its
                  native library loaded in the setup).

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
                  `tf_loss.txt` (by the reference README's rule), the other steps' first 3 losses (the optimizer
                  steps' first 10) against Kiln's interpreter (within 1e-4 relative), the forward pass's outputs
                  against the interpreter's.

                To run: `benchmarks/run [--quick] [--tensorflow] [--filter REGEX] [--variants LIST] [-- JMH options]`
                (`benchmarks/run --help` says more). It writes the JMH JSON to `benchmarks/results/` and this page
                from it. `benchmarks/run --check` only runs TensorFlow's checks, printing the losses side by side
                (with TensorFlow's `ApplyMomentum` and `ApplyRMSProp` against Kiln's optimizers too).
                """;
    }

    /** The node count of {@link BigGraph#ofAbout}'s graph, which {@link CompileTimeBySize} compiles. */
    static int nodesOfAbout(int nodes) {
        return BigGraph.ofAbout(nodes).nodes().size();
    }

    /** Allocation per run above which a compiled row is taken as not warmed up. */
    static final double COLD_ALLOC = 64 * 1024;

    static boolean notWarm(Row r) {
        return r.engine().startsWith("compiled") && r.allocBytes() != null && r.allocBytes() > COLD_ALLOC;
    }

    static String engineLabel(String engine) {
        return engine;
    }

    static String ratio(Row ref, double us) {
        if (ref == null) {
            return "—";
        }
        double r = ref.micros() / us;
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

    /** Whether /proc/cpuinfo lists AVX-512 Foundation (false where it cannot be read). */
    static boolean hasAvx512() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
}
