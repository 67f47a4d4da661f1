package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Spark starts in local mode inside the test JVM, with the options the build gives it. */
class SparkSmokeTest {
    @Test
    void localSparkSumsInPartitionOrder() throws Exception {
        {
            SparkSession spark = LocalSpark.get("local[2]");
            var sc = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext());
            List<Integer> sums = sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 2)
                    .mapPartitions(it -> {
                        int s = 0;
                        while (it.hasNext()) {
                            s += it.next();
                        }
                        return List.of(s).iterator();
                    }).collect();
            assertEquals(List.of(6, 15), sums);
        }
    }
}
