package dev.kiln.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Done-when 1 in {@code local[3]} with 3 partitions: the same agreement, and the same bits twice. */
class ThreePartitionsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.get("local[3]");
    }

    @Test
    void canonicalGraph(@TempDir Path dir) throws Exception {
        KilnModel model = KilnModel.of(Path.of("examples/two_layer.kiln"));
        Trained first = KilnSpark.fit(Data.canonical(spark), model, EquivalenceTest.canonical(3));
        double worst = Agreement.check(first.losses(), first.variables(), EquivalenceTest.canonicalReference(dir));
        System.out.println("canonical, local[3], 3 partitions: worst difference / allowance " + worst);
        EquivalenceTest.assertBitForBit(first, KilnSpark.fit(Data.canonical(spark), model, EquivalenceTest.canonical(3)));
    }

    @Test
    void digitsClassifier(@TempDir Path dir) throws Exception {
        KilnModel model = KilnModel.of(Path.of("examples/digits_mlp.kiln"));
        Trained first = KilnSpark.fit(Data.digits(spark), model, EquivalenceTest.digits(3));
        double worst = Agreement.check(first.losses(), first.variables(), EquivalenceTest.digitsReference(dir));
        System.out.println("digits, local[3], 3 partitions: worst difference / allowance " + worst);
        EquivalenceTest.assertBitForBit(first, KilnSpark.fit(Data.digits(spark), model, EquivalenceTest.digits(3)));
    }
}
