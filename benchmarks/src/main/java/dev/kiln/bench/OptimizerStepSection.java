package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page's table of training steps under {@code tf.train} optimizers, in a warmed-up JVM: the canonical
 * graph's Adam step against its SGD step, per engine ({@link AdamStep}, TensorFlow's {@code AdamStepTf}
 * and {@code TwoLayerStepTf}), and the digits MLP's Adam step against TensorFlow's ({@link DigitsMlpStep}).
 * Ratios here are of times (below 1× is faster), as the targets are written: Kiln's Adam step at most
 * {@value #ADAM_TARGET}× its SGD step, Kiln's digits step at most {@value #DIGITS_TARGET}× TensorFlow's.
 */
final class OptimizerStepSection {
    static final double ADAM_TARGET = 1.15;
    static final double DIGITS_TARGET = 0.6;
    private static final String TF1 = "tensorflow (1 thread)";

    private OptimizerStepSection() {}

    /** The section from the steady-state rows; empty when the run measured neither benchmark. */
    static String render(List<Results.Row> rows) {
        List<Results.Row> steady = StepTimeSection.steady(rows);
        List<Results.Row> adam = of(steady, "AdamStep");
        List<Results.Row> digits = of(steady, "DigitsMlpStep");
        if (adam.isEmpty() && digits.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## Optimizer steps\n\n");
        sb.append("Mean time per training step, batch 64, in a warmed-up JVM, from the same run as the table above;"
                + " ± is JMH's 99.9% confidence half-width. **Ratios here are of times**: below 1× is faster.\n\n");
        if (!adam.isEmpty()) {
            Results.Row tfAdam = find(adam, TF1);
            Results.Row tfSgd = find(of(steady, "TwoLayerStep"), TF1);
            sb.append("The canonical graph trained by `AdamOptimizer(1e-4)` (`benchmarks/graphs/two_layer_adam.kiln`)"
                    + " against its SGD step (`examples/two_layer.kiln`), each engine's two steps measured in the same run."
                    + " Target: Kiln's Adam step at most ").append(ADAM_TARGET).append("× its SGD step.\n\n");
            sb.append("| engine | SGD step, µs | Adam step, µs | Adam / SGD | meets ≤ ").append(ADAM_TARGET)
                    .append("× | Adam step / TF's Adam step | allocated per Adam step |\n|---|---:|---:|---:|:---:|---:|---:|\n");
            for (String variant : variants(adam)) {
                Results.Row sgd = find(adam, "sgd (" + variant + ")");
                Results.Row a = find(adam, "adam (" + variant + ")");
                sb.append("| compiled (").append(variant).append(") | ").append(time(sgd)).append(" | ").append(time(a))
                        .append(" | ").append(times(a, sgd)).append(" | ").append(meets(a, sgd, ADAM_TARGET)).append(" | ")
                        .append(times(a, tfAdam)).append(" | ").append(alloc(a)).append(" |\n");
            }
            if (tfAdam != null || tfSgd != null) {
                sb.append("| ").append(TF1).append(" | ").append(time(tfSgd)).append(" | ").append(time(tfAdam)).append(" | ")
                        .append(times(tfAdam, tfSgd)).append(" | — | ").append(times(tfAdam, tfAdam)).append(" | ")
                        .append(alloc(tfAdam)).append(" |\n");
            }
            sb.append("\n");
        }
        if (!digits.isEmpty()) {
            Results.Row tf = find(digits, TF1);
            sb.append("The digits MLP (`examples/digits_mlp.kiln`: 64-128-10, ReLU, biases, sparse softmax"
                    + " cross-entropy, `AdamOptimizer(1e-3)`) on the first 64 training images. Target: Kiln's step at most ")
                    .append(DIGITS_TARGET).append("× TensorFlow's, one thread.\n\n");
            sb.append("| engine | µs per step | time / TF's | meets ≤ ").append(DIGITS_TARGET)
                    .append("× | allocated per run |\n|---|---:|---:|:---:|---:|\n");
            List<Results.Row> sorted = new ArrayList<>(digits);
            sorted.sort(Report::compareEngines);
            for (Results.Row r : sorted) {
                boolean kiln = r.engine().startsWith("compiled");
                sb.append("| ").append(r.engine()).append(" | ").append(time(r)).append(" | ").append(times(r, tf)).append(" | ")
                        .append(kiln ? meets(r, tf, DIGITS_TARGET) : "—").append(" | ").append(alloc(r)).append(" |\n");
            }
            sb.append("\n");
        }
        sb.append("TensorFlow's steps apply its own fused kernels (`ApplyAdam`, with slots and beta powers as TF1's"
                + " `AdamOptimizer` makes them); before measuring, each checks its first 10 losses against Kiln's"
                + " interpreter (within 1e-4 relative). A † marks a compiled row that allocated more than ")
                .append(Report.bytes(Report.COLD_ALLOC)).append(" per run: not warmed up (see the table above).\n\n");
        return sb.toString();
    }

    private static List<Results.Row> of(List<Results.Row> rows, String key) {
        return rows.stream().filter(r -> r.graphKey().equals(key)).toList();
    }

    private static Results.Row find(List<Results.Row> rows, String engine) {
        return rows.stream().filter(r -> r.engine().equals(engine)).findFirst().orElse(null);
    }

    /** The compiled variants of the rows, in {@link Variants#ALL} order. */
    private static List<String> variants(List<Results.Row> rows) {
        List<String> v = new ArrayList<>();
        for (String name : Variants.ALL) {
            if (rows.stream().anyMatch(r -> name.equals(r.param("variant")))) {
                v.add(name);
            }
        }
        return v;
    }

    private static boolean cold(Results.Row r) {
        return !r.engine().startsWith("tensorflow") && r.allocBytes() != null && r.allocBytes() > Report.COLD_ALLOC;
    }

    private static String time(Results.Row r) {
        if (r == null) {
            return "—";
        }
        double err = r.errorMicros();
        return Report.fmt(r.micros()) + " ± " + (Double.isNaN(err) ? "?" : Report.fmt(err)) + (cold(r) ? " †" : "");
    }

    private static String times(Results.Row a, Results.Row b) {
        return a == null || b == null ? "—" : String.format(Locale.ROOT, "%.2f×", a.micros() / b.micros());
    }

    private static String meets(Results.Row a, Results.Row b, double target) {
        return a == null || b == null ? "—" : a.micros() / b.micros() <= target ? "yes" : "no";
    }

    private static String alloc(Results.Row r) {
        return r == null || r.allocBytes() == null ? "—" : Report.bytes(r.allocBytes());
    }
}
