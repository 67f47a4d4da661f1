package dev.kiln.spark;

import org.apache.spark.sql.SparkSession;

/** A Spark session for tests: local mode, no UI, few shuffle partitions, quiet. */
final class LocalSpark {
    private LocalSpark() {}

    static SparkSession start(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("kiln-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
