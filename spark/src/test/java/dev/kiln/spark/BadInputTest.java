package dev.kiln.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Done-when 2, bad input: each case is one line naming what is wrong, before any step. */
class BadInputTest {
    private static SparkSession spark;
    private static final KilnModel DIGITS = KilnModel.of(Path.of("examples/digits_mlp.kiln"));

    @BeforeAll
    static void start() {
        spark = LocalSpark.get("local[2]");
    }

    private static void fails(Dataset<Row> data, Training training, String message) {
        AtomicInteger steps = new AtomicInteger();
        KilnException e = assertThrows(KilnException.class, () -> KilnSpark.fit(data, DIGITS,
                training.optimizer(t -> t.adam(1e-3f)).steps(5).onStep((t, l) -> steps.incrementAndGet())));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals(0, steps.get(), "no step ran");
    }

    @Test
    void missingColumn() {
        fails(Data.digits(spark), new Training().feed("x", "pixels").feed("y", "y"),
                "column 'pixels' (for placeholder 'x') is not in the data set (columns: x, y)");
    }

    @Test
    void columnOfTheWrongType() {
        fails(Data.digits(spark).withColumn("y", col("y").cast("string")), new Training().feed("x", "x").feed("y", "y"),
                "column 'y' holds string values; placeholder 'y' needs numbers (a numeric column, or one array column of 1)");
    }

    @Test
    void arrayColumnOfTheWrongWidth() {
        fails(Data.digits(spark).withColumn("x", expr("slice(x, 1, 63)")), new Training().feed("x", "x").feed("y", "y"),
                "bad input: row 0: column 'x' holds an array of 63 numbers; placeholder 'x' takes rows of 64");
    }

    @Test
    void scalarColumnForARowOfMany() {
        fails(Data.digits(spark), new Training().feed("x", "y").feed("y", "y"),
                "placeholder 'x' takes rows of 64 numbers (shape [?,64]) but is fed 1 scalar column: give one array column of 64,"
                        + " or 64 numeric columns");
    }

    @Test
    void feedOfNoPlaceholder() {
        fails(Data.digits(spark), new Training().feed("x", "x").feed("y", "y").feed("labels", "y"),
                "feed labels: the model digits_mlp.kiln has no placeholder 'labels' (placeholders: x, y)");
    }

    @Test
    void placeholderWithoutAColumn() {
        fails(Data.digits(spark), new Training().feed("x", "x"),
                "placeholder 'y' of digits_mlp.kiln is read by the loss but no column feeds it (feeds given: x)");
    }

    @Test
    void emptyDataSet() {
        fails(Data.digits(spark).filter("false"), new Training().feed("x", "x").feed("y", "y"),
                "the data set is empty: there is nothing to train on");
    }
}
