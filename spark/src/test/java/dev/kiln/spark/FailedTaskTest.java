package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Done-when 2, failures: in {@code local[2,4]} (two cores, a task may fail up to three times) the first attempt
 * of partition 0's task fails at step 10; Spark retries it, and the run gives the same bits as one without
 * the failure.
 */
class FailedTaskTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.get("local[2,4]");
    }

    @Test
    void aRetriedTaskChangesNothing() {
        KilnModel model = KilnModel.of(Path.of("examples/digits_mlp.kiln"));
        Trained clean = KilnSpark.fit(Data.digits(spark), model, EquivalenceTest.digits(2).steps(20));
        int before = KilnSpark.hookFailures();
        Trained failed = KilnSpark.fit(Data.digits(spark), model, EquivalenceTest.digits(2).steps(20).failFirstAttemptAt(10));
        assertEquals(1, KilnSpark.hookFailures() - before, "the task failed once, on purpose");
        EquivalenceTest.assertBitForBit(clean, failed);
    }
}
