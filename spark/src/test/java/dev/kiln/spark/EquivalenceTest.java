package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.io.Npy;
import dev.kiln.ir.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Done-when 1 in {@code local[2]} with 2 partitions: 50 steps on Spark agree with {@code kiln train} on the
 * same global minibatches (the reference README's tolerance), for the canonical graph (a sum loss, plain
 * gradient descent) and the digits classifier (a mean loss, Adam); and a second run gives the same bits.
 */
class EquivalenceTest {
    static final int STEPS = 50;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.get("local[2]");
    }

    static Training canonical(int partitions) {
        return new Training().feed("x", "x").feed("y", "y").optimizer(t -> t.gradientDescent(1e-6f))
                .steps(STEPS).batch(16).seed(3).partitions(partitions)
                .initial("w1", Npy.read(Data.CANONICAL.resolve("w1.npy")))
                .initial("w2", Npy.read(Data.CANONICAL.resolve("w2.npy")));
    }

    static SingleMachine canonicalReference(Path dir) throws Exception {
        return SingleMachine.train(Path.of("examples/two_layer.kiln"), STEPS, 16, 3,
                List.of("x=" + Data.CANONICAL.resolve("x.npy"), "y=" + Data.CANONICAL.resolve("y.npy")),
                List.of("w1=" + Data.CANONICAL.resolve("w1.npy"), "w2=" + Data.CANONICAL.resolve("w2.npy")),
                dir, List.of("w1", "w2"));
    }

    static Training digits(int partitions) {
        return new Training().feed("x", "x").feed("y", "y").optimizer(t -> t.adam(1e-3f))
                .steps(STEPS).batch(64).seed(7).partitions(partitions);
    }

    static SingleMachine digitsReference(Path dir) throws Exception {
        return SingleMachine.train(Path.of("examples/digits_mlp.kiln"), STEPS, 64, 7,
                List.of("x=" + Data.DIGITS.resolve("x_train.npy"), "y=" + Data.DIGITS.resolve("y_train.npy")), List.of(),
                dir, List.of("w1", "b1", "w2", "b2", "w1/Adam", "w1/Adam_1", "beta1_power", "beta2_power"));
    }

    @Test
    void canonicalGraphAgreesWithSingleMachineAndRepeats(@TempDir Path dir) throws Exception {
        KilnModel model = KilnModel.of(Path.of("examples/two_layer.kiln"));
        Trained first = KilnSpark.fit(Data.canonical(spark), model, canonical(2));
        double worst = Agreement.check(first.losses(), first.variables(), canonicalReference(dir));
        System.out.println("canonical, local[2], 2 partitions: worst difference / allowance " + worst);
        Trained second = KilnSpark.fit(Data.canonical(spark), model, canonical(2));
        assertBitForBit(first, second);
    }

    @Test
    void digitsClassifierAgreesWithSingleMachineAndRepeats(@TempDir Path dir) throws Exception {
        KilnModel model = KilnModel.of(Path.of("examples/digits_mlp.kiln"));
        int compiledBefore = GradientStep.compiled();
        Trained first = KilnSpark.fit(Data.digits(spark), model, digits(2));
        SingleMachine ref = digitsReference(dir);
        int compiled = GradientStep.compiled() - compiledBefore;
        double worst = Agreement.check(first.losses(), first.variables(), ref);
        System.out.println("digits, local[2], 2 partitions: worst difference / allowance " + worst + "; " + compiled
                + " gradient classes compiled for " + 2 * STEPS + " tasks");
        // one class per chunk size (the powers of two up to 64) and concurrent task, not one per task
        assertTrue(compiled <= 2 * 7, "compiled " + compiled);
        Trained second = KilnSpark.fit(Data.digits(spark), model, digits(2));
        assertBitForBit(first, second);
        savesAsKilnTrainDoes(first, dir);
    }

    /** The saved variables are what kiln train --save writes: every file it wrote, the same names, readable back. */
    static void savesAsKilnTrainDoes(Trained trained, Path dir) throws Exception {
        Path out = dir.resolve("spark");
        trained.save(out);
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".npy") && !f.startsWith(out)).toList()) {
                Path mine = out.resolve(dir.relativize(f));
                assertTrue(java.nio.file.Files.exists(mine), "kiln train saved " + dir.relativize(f) + ", Spark did not");
            }
        }
        Map<String, Tensor> archive = dev.kiln.io.Npz.read(trained.save(dir.resolve("spark.npz")));
        assertEquals(trained.variables().keySet(), archive.keySet());
    }

    static void assertBitForBit(Trained a, Trained b) {
        assertArrayEquals(a.losses(), b.losses(), 0f, "losses");
        assertEquals(a.variables().keySet(), b.variables().keySet());
        for (Map.Entry<String, Tensor> v : a.variables().entrySet()) {
            assertArrayEquals(v.getValue().data(), b.variables().get(v.getKey()).data(), 0f, v.getKey());
        }
    }
}
