package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Session;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Keeps the JMH benchmarks in {@code benchmarks/src/main/java} from rotting: runs every benchmark's
 * {@code @Setup} and {@code @Benchmark} methods once, directly (no JMH), for every value of their
 * parameters, and checks that the engines compute the same thing. The TensorFlow benchmarks (profile
 * {@code tensorflow}) are not run here.
 */
class BenchmarksSmokeTest {
    /** Every benchmark class; {@link #everyBenchmarkClassIsListed} keeps this in step with JMH's list. */
    static final List<Class<?>> BENCHMARKS = List.of(
            TwoLayerStep.class, TwoLayerForward.class, ElementwiseStep.class, Mlp4Step.class, CompileTime.class,
            CompileTimeBySize.class, FirstSteps.class, AdamStep.class, DigitsMlpStep.class, ExecStep.class);

    static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void everyBenchmarkMethodRunsOnceForEveryParameterValue() throws Exception {
        int calls = 0;
        for (Class<?> c : BENCHMARKS) {
            Object bench = c.getConstructor().newInstance();
            for (Method m : c.getMethods()) {
                if (!m.isAnnotationPresent(Benchmark.class)) {
                    continue;
                }
                for (Object[] args : argumentSets(m)) {
                    Object result = invoke(m, bench, args);
                    if (m.getReturnType() == float.class) {
                        assertTrue(Float.isFinite((Float) result), c.getSimpleName() + "." + m.getName() + " returned " + result);
                    } else if (m.getReturnType() != void.class) {
                        assertNotNull(result, c.getSimpleName() + "." + m.getName());
                    }
                    calls++;
                }
            }
        }
        assertTrue(calls >= 13, "ran only " + calls + " benchmark calls");
    }

    @Test
    void everyBenchmarkClassIsListed() throws IOException {
        // JMH's annotation processor ran during test-compile and listed the benchmarks.
        Set<String> listed = new TreeSet<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
            Matcher m = Pattern.compile("dev\\.kiln\\.bench\\.([A-Z]\\w*)").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                listed.add(m.group(1));
            }
        }
        Set<String> known = new TreeSet<>();
        for (Class<?> c : BENCHMARKS) {
            known.add(c.getSimpleName());
        }
        assertEquals(known, listed, "BenchmarkList vs BenchmarksSmokeTest.BENCHMARKS");
    }

    @Test
    void compiledStepLossEqualsInterpretersAndHandWrittens() {
        Models.Data d = Models.data("two_layer", 64);
        Models.TrainStep compiled = Models.compiledStep("two_layer", 64, Variants.DEFAULT);
        Session interp = Models.interpreterStep("two_layer", 64);
        HandWritten hand = new HandWritten(64);
        hand.setWeights(Models.reference("w1.npy").data(), Models.reference("w2.npy").data());
        Map<String, Tensor> feeds = d.feeds(true);
        float[] torch = Models.referenceLosses("torch");
        for (int t = 0; t < 5; t++) {
            float c = compiled.run(d.x(), d.y());
            float i = interp.run(feeds).get(0).item();
            float h = hand.step(d.x(), d.y());
            assertClose(i, c, 1e-4, "step " + t + ": compiled vs interpreter");
            assertClose(i, h, 1e-4, "step " + t + ": handwritten vs interpreter");
            assertTrue(Models.agreesWithReference(h, torch[t], torch[0]), "step " + t + ": handwritten " + h + " vs torch " + torch[t]);
            assertTrue(Models.agreesWithReference(c, torch[t], torch[0]), "step " + t + ": compiled " + c + " vs torch " + torch[t]);
        }
    }

    @Test
    void handWrittenFollowsTheWholeReferenceTrajectory() {
        Models.Data d = Models.data("two_layer", 64);
        HandWritten hand = new HandWritten(64);
        hand.setWeights(Models.reference("w1.npy").data(), Models.reference("w2.npy").data());
        float[] torch = Models.referenceLosses("torch");
        for (int t = 0; t < torch.length; t++) {
            float h = hand.step(d.x(), d.y());
            assertTrue(Models.agreesWithReference(h, torch[t], torch[0]), "step " + t + ": handwritten " + h + " vs torch " + torch[t]);
        }
    }

    @Test
    void forwardPassesAgree() {
        for (int batch : new int[] {64, 1}) {
            Models.Data d = Models.data("two_layer", batch);
            float[] c = Models.compiledForward("two_layer", batch, Variants.DEFAULT).run(d.x()).clone();
            float[] i = Models.interpreterForward("two_layer", batch).run(d.feeds(false)).get(0).data();
            HandWritten hand = new HandWritten(batch);
            hand.setWeights(Models.reference("w1.npy").data(), Models.reference("w2.npy").data());
            float[] h = hand.forward(d.x()).clone();
            assertEquals(batch * 10, c.length);
            float scale = 0;
            for (float v : i) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(i, c, 1e-4f * scale, "compiled forward, batch " + batch);
            assertArrayEquals(i, h, 1e-4f * scale, "handwritten forward, batch " + batch);
        }
    }

    @Test
    void otherGraphsCompiledLossEqualsInterpreters() {
        List<String> graphs = new java.util.ArrayList<>(List.of("elementwise", "mlp4"));
        graphs.addAll(Models.OPTIMIZER_GRAPHS);
        for (String graph : graphs) {
            Models.Data d = Models.data(graph, 64);
            Models.TrainStep compiled = Models.compiledStep(graph, 64, Variants.DEFAULT);
            Session interp = Models.interpreterStep(graph, 64);
            for (int t = 0; t < 3; t++) {
                float c = compiled.run(d.x(), d.y());
                float i = interp.run(d.feeds(true)).get(0).item();
                assertTrue(i > 0 && Float.isFinite(i), graph + " loss " + i);
                assertClose(i, c, 1e-4, graph + " step " + t + ": compiled vs interpreter");
            }
        }
    }

    @Test
    void optimizerStepsAreSetBesideSgdAndTensorFlow() {
        List<Results.Row> rows = List.of(
                steady("dev.kiln.bench.AdamStep.sgd", "vector", null, 500.0),
                steady("dev.kiln.bench.AdamStep.adam", "vector", null, 550.0),
                steady("dev.kiln.bench.tf.AdamStepTf.tensorflow", null, "1", 1100.0),
                steady("dev.kiln.bench.tf.TwoLayerStepTf.tensorflow", null, "1", 1000.0),
                steady("dev.kiln.bench.DigitsMlpStep.compiled", "vector", null, 70.0),
                steady("dev.kiln.bench.tf.DigitsMlpStepTf.tensorflow", null, "1", 100.0));
        String md = OptimizerStepSection.render(rows);
        assertTrue(md.contains("| compiled (vector) | 500 ± 5.00 | 550 ± 5.50 | 1.10× | yes | 0.50× | — |"), md);
        assertTrue(md.contains("| tensorflow (1 thread) | 1,000 ± 10.0 | 1,100 ± 11.0 | 1.10× | — | 1.00× | — |"), md);
        assertTrue(md.contains("| compiled (vector) | 70.0 ± 0.700 | 0.70× | no | — |"), md);
        assertEquals("", OptimizerStepSection.render(rows.subList(3, 4)));
    }

    private static Results.Row steady(String benchmark, String variant, String tfThreads, double us) {
        Map<String, Object> params = variant != null ? Map.of("variant", variant) : Map.of("tfThreads", tfThreads);
        return Results.row(Map.of("benchmark", benchmark, "mode", "avgt", "params", params,
                "primaryMetric", Map.of("score", us, "scoreError", us / 100, "scoreUnit", "us/op")));
    }

    @Test
    void everyVariantThisJvmCanRunCompilesTheSameStep() {
        Models.Data d = Models.data("mlp4", 64);
        float expected = Models.interpreterStep("mlp4", 64).run(d.feeds(true)).get(0).item();
        int ran = 0;
        for (String v : Variants.ALL) {
            assertFalse(Variants.describe(v).equals("unknown"), v);
            if (Variants.available(v)) {
                assertClose(expected, Models.compiledStep("mlp4", 64, v).run(d.x(), d.y()), 1e-4, "variant " + v);
                ran++;
            }
        }
        assertTrue(ran >= 2, "ran " + ran + " variants");
    }

    @Test
    void flopsFromShapes() {
        // 2mnk per product (forward 2, backward 3: x^T never), 2 per updated weight.
        long forward = 2L * 64 * 1000 * 100 + 2L * 64 * 100 * 10;
        assertEquals(forward, Models.flops("two_layer", 64, false));
        assertEquals(forward + 2L * 100 * 64 * 10 + 2L * 64 * 10 * 100 + 2L * 1000 * 64 * 100 + 2L * (100_000 + 1000),
                Models.flops("two_layer", 64, true));
        assertEquals(26_186_000L, Models.flops("two_layer", 64, true));
        assertEquals(11 * 2L * 64 * 256 * 256 + 4 * 2L * 256 * 256, Models.flops("mlp4", 64, true));
    }

    @Test
    void reportRendersJmhJson(@TempDir Path dir) throws IOException {
        String json = """
                [ {"jmhVersion":"1.37","benchmark":"dev.kiln.bench.TwoLayerStep.compiled","mode":"avgt","threads":1,
                   "forks":2,"jvm":"/j/bin/java","jvmArgs":["--add-modules","jdk.incubator.vector"],"jdkVersion":"25",
                   "vmName":"OpenJDK 64-Bit Server VM","vmVersion":"25+36","warmupIterations":5,"warmupTime":"1 s",
                   "measurementIterations":5,"measurementTime":"1 s","params":{"variant":"scalar"},
                   "primaryMetric":{"score":500.0,"scoreError":10.0,"scoreUnit":"us/op","scorePercentiles":{"0.0":490.0}},
                   "secondaryMetrics":{"gc.alloc.rate.norm":{"score":0.01,"scoreError":"NaN","scoreUnit":"B/op"}}},
                  {"benchmark":"dev.kiln.bench.TwoLayerStep.interpreter","mode":"avgt","forks":2,
                   "primaryMetric":{"score":5.0,"scoreError":"NaN","scoreUnit":"ms/op"},"secondaryMetrics":{}},
                  {"benchmark":"dev.kiln.bench.tf.TwoLayerStepTf.tensorflow","mode":"avgt","params":{"tfThreads":"1"},
                   "primaryMetric":{"score":1000.0,"scoreError":1.5,"scoreUnit":"us/op"},"secondaryMetrics":{}},
                  {"benchmark":"dev.kiln.bench.CompileTime.firstCompile","mode":"ss","forks":20,"measurementIterations":1,
                   "params":{"variant":"scalar"},
                   "primaryMetric":{"score":300.0,"scoreError":20.0,"scoreUnit":"ms/op",
                                    "scorePercentiles":{"0.0":250.0,"100.0":400.0}},"secondaryMetrics":{}} ]
                """;
        Path in = dir.resolve("r.json");
        Files.writeString(in, json);
        Path out = dir.resolve("b.md");
        Report.main(new String[] {"--out", out.toString(), "--command", "benchmarks/run --quick", "--mode", "quick", in.toString()});
        String md = Files.readString(out);
        assertTrue(md.contains("| canonical step, batch 64 | compiled (scalar) | 500 ± 10.0 | 52.4 | 45% | 2.00× | 10× | 0 B |"), md);
        assertTrue(md.contains("| canonical step, batch 64 | tensorflow (1 thread) | 1,000 ± 1.50 |"), md);
        assertTrue(md.contains("first compile in a fresh JVM"), md);
        assertTrue(md.contains("`benchmarks/run --quick`"), md);
        assertTrue(md.contains("Each row: 2 fork(s) × 5 iterations of 1 s, after 5 warmup iterations of 1 s."), md);
        assertTrue(md.contains("| first compile in a fresh JVM (single shot) | compiled (scalar) | 300 ± 20.0 ms | 250 ms | 400 ms | 20 × 1 |"), md);
        assertFalse(md.contains("NaN"), md);
        assertTrue(md.contains("## Compile time vs graph size\n\n"), md);
    }

    @Test
    void firstStepsAreSetBesideTensorFlowAndTheSteadyStep() {
        List<Results.Row> first = List.of(
                single("dev.kiln.bench.FirstSteps.compiled", "vector", 300.0),
                single("dev.kiln.bench.FirstSteps.steps", "vector", 100.0),
                single("dev.kiln.bench.FirstSteps.interpreter", null, 2000.0),
                single("dev.kiln.bench.tf.FirstStepsTf.tensorflow", null, 600.0));
        List<Results.Row> steady = List.of(Results.row(Map.of("benchmark", "dev.kiln.bench.TwoLayerStep.compiled",
                "mode", "avgt", "params", Map.of("variant", "vector"),
                "primaryMetric", Map.of("score", 150.0, "scoreError", 1.0, "scoreUnit", "us/op"))));
        String md = FirstStepsSection.table(first, steady);
        // 100 ms for 500 steps is 200 µs a step, 1.33 times the steady 150 µs; TensorFlow's 600 ms is 2x the 300 ms.
        assertTrue(md.contains("| compiled (vector) | 300 ± 30.0 ms | 290 – 320 ms | 2.00× | 200 µs | 150 µs | 1.33 |"), md);
        assertTrue(md.contains("| interpreter | 2,000 ± 200 ms | 1,990 – 2,020 ms | 0.30× | — | — | — |"), md);
        assertTrue(md.contains("| tensorflow (1 thread) | 600 ± 60.0 ms |"), md);
        assertFalse(md.contains("steps (vector) |"), md);
    }

    @Test
    void aResultFileThatIsNotJsonIsNamed(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("broken.json");
        Files.writeString(bad, "[{\"benchmark\": ");
        IOException e = assertThrows(IOException.class, () -> Results.read(List.of(bad)));
        assertTrue(e.getMessage().startsWith(bad + ": not a JMH JSON result file"), e.getMessage());
    }

    private static Results.Row single(String benchmark, String variant, double ms) {
        Map<String, Object> params = variant == null ? Map.of() : Map.of("variant", variant);
        return Results.row(Map.of("benchmark", benchmark, "mode", "ss", "params", params, "forks", 10.0,
                "primaryMetric", Map.of("score", ms, "scoreError", ms / 10, "scoreUnit", "ms/op",
                        "scorePercentiles", Map.of("0.0", ms - 10, "100.0", ms + 20))));
    }

    @Test
    void compileTimeBySizeIsShownPerThousandNodes() {
        List<Results.Row> rows = List.of(sized("4000", 48.0, 2.0), sized("1000", 10.0, 1.0));
        String md = CompileScalingSection.render(rows, n -> n);
        assertTrue(md.contains("| 1,000 | 10.0 ± 1.00 | 10.0 | 1.00× |\n| 4,000 | 48.0 ± 2.00 | 12.0 | 1.20× |\n"), md);
        assertTrue(md.contains("Each row: 2 fork(s) × 4 iterations of 1 s, after 6 warmup iterations of 1 s"), md);
    }

    /** The nearest size there is, within a block or so (a block adds from about 40 to 150 nodes). */
    @Test
    void bigGraphsHaveAboutTheNodesAskedFor() {
        for (int nodes : new int[] {1000, 5000}) {
            int got = BigGraph.ofAbout(nodes).nodes().size();
            assertTrue(Math.abs(got - nodes) <= 100, nodes + " asked, " + got + " built");
        }
    }

    private static Results.Row sized(String nodes, double ms, double error) {
        return Results.row(Map.of("benchmark", "dev.kiln.bench.CompileTimeBySize.compile", "mode", "avgt",
                "params", Map.of("nodes", nodes), "forks", 2.0, "measurementIterations", 4.0, "measurementTime", "1 s",
                "warmupIterations", 6.0, "warmupTime", "1 s",
                "primaryMetric", Map.of("score", ms, "scoreError", error, "scoreUnit", "ms/op"), "secondaryMetrics", Map.of()));
    }

    // ---------------------------------------------------------------------------------------------

    static void assertClose(float expected, float actual, double rel, String what) {
        double err = Math.abs((double) actual - expected);
        assertTrue(err <= rel * Math.abs(expected), what + ": " + actual + " vs " + expected + " (relative error "
                + err / Math.abs(expected) + ")");
    }

    /** Every combination of state objects (one per {@code @Param} value combination) for {@code m}'s parameters. */
    static List<Object[]> argumentSets(Method m) throws Exception {
        List<Object[]> sets = new ArrayList<>();
        sets.add(new Object[0]);
        for (Parameter p : m.getParameters()) {
            List<Object[]> next = new ArrayList<>();
            for (Object[] prefix : sets) {
                for (Object state : states(p.getType())) {
                    Object[] a = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                    a[prefix.length] = state;
                    next.add(a);
                }
            }
            sets = next;
        }
        return sets;
    }

    /** Instances of a state class set up for each combination of its {@code @Param} values. */
    static List<Object> states(Class<?> type) throws Exception {
        if (type == Blackhole.class) {
            return List.of(BLACKHOLE);
        }
        List<Field> params = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (f.isAnnotationPresent(Param.class)) {
                params.add(f);
            }
        }
        List<List<String>> combos = new ArrayList<>();
        combos.add(List.of());
        for (Field f : params) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : combos) {
                for (String v : f.getAnnotation(Param.class).value()) {
                    List<String> c = new ArrayList<>(prefix);
                    c.add(v);
                    next.add(c);
                }
            }
            combos = next;
        }
        List<Object> out = new ArrayList<>();
        for (List<String> combo : combos) {
            Object s = type.getConstructor().newInstance();
            for (int i = 0; i < params.size(); i++) {
                Field f = params.get(i);
                String v = combo.get(i);
                if (f.getType() == int.class) {
                    f.setInt(s, Integer.parseInt(v));
                } else {
                    f.set(s, v);
                }
            }
            for (Method setup : type.getMethods()) {
                if (setup.isAnnotationPresent(Setup.class)) {
                    invoke(setup, s);
                }
            }
            out.add(s);
        }
        return out;
    }

    static Object invoke(Method m, Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
