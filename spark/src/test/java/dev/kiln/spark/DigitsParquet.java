package dev.kiln.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Writes the digits training set as Parquet, the data of the README's Spark example: a column {@code x}
 * (the 64 pixels, an array of floats) and {@code y} (the label, a long), in the .npy files' row order.
 * {@code spark/run --write-example} runs it.
 */
public final class DigitsParquet {
    private DigitsParquet() {}

    public static void main(String[] args) {
        SparkSession spark = LocalSpark.start("local[1]");
        try {
            Data.digits(spark).coalesce(1).write().mode("overwrite").parquet(args[0]);
        } finally {
            spark.stop();
        }
    }
}
