package dev.kiln.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark session: local mode, no UI, quiet. One JVM holds one at a time; test classes asking for
 * the same master share it (starting Spark takes seconds), and asking for another stops the old one.
 */
final class LocalSpark {
    private LocalSpark() {}

    private static SparkSession current;
    private static String currentMaster;

    static synchronized SparkSession get(String master) {
        if (current != null && master.equals(currentMaster)) {
            return current;
        }
        if (current != null) {
            current.stop();
        }
        current = start(master);
        currentMaster = master;
        return current;
    }

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
