package dev.kiln.bench;

import dev.kiln.api.Options;
import java.util.List;

/**
 * The compiled-engine variants the benchmarks can run, by name: the one place that maps a variant (the
 * {@code variant} JMH parameter of every compiled benchmark) to compile {@link Options}. To add a
 * variant, add a line to {@link #options} and to {@link #describe}, and its name to {@link #ALL}.
 *
 * <p>The {@code @Param} of the benchmark classes lists only {@link #DEFAULT}, which any JVM can run;
 * {@code benchmarks/run} passes {@code -p variant=...} with every variant of {@link #ALL} this JVM can
 * run (vector needs {@code --add-modules jdk.incubator.vector}, which it adds when the JDK has it).
 */
public final class Variants {
    private Variants() {}

    /** The variant of the benchmarks' {@code @Param}: a constant, as JMH's annotations need. */
    public static final String DEFAULT = "scalar";

    /** Every variant, in report order. */
    public static final List<String> ALL = List.of("scalar", "vector", "threads2");

    /** Compile options for {@code variant} at batch size {@code batch}. */
    public static Options options(String variant, int batch) {
        Options o = new Options().batch(batch);
        return switch (variant) {
            case "scalar" -> o.backend("scalar").threads(1);
            case "vector" -> o.backend("vector").threads(1);
            case "threads2" -> o.backend("auto").threads(2);
            default -> throw new IllegalArgumentException("unknown compiled variant '" + variant + "' (known: " + ALL + ")");
        };
    }

    /** What a variant is, in words, for the report. */
    public static String describe(String variant) {
        return switch (variant) {
            case "scalar" -> "`backend(\"scalar\")`: scalar bytecode, one thread";
            case "vector" -> "`backend(\"vector\")`: Vector API matrix products, one thread";
            case "threads2" -> "`backend(\"auto\").threads(2)`: the automatic backend (vector when the JVM has the module,"
                    + " else scalar), large products split between the caller and one worker thread";
            default -> "unknown";
        };
    }

    /** Whether this JVM can run {@code variant}. */
    public static boolean available(String variant) {
        return !variant.equals("vector") || dev.kiln.codegen.Backend.vectorAvailable();
    }

    /** Prints the variants this JVM can run, comma-separated (benchmarks/run's default {@code -p variant=}). */
    public static void main(String[] args) {
        System.out.println(String.join(",", ALL.stream().filter(Variants::available).toList()));
    }
}
