package dev.kiln.spark;

import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Data sets for the tests, from the repository's .npy files. */
final class Data {
    private Data() {}

    static final Path CANONICAL = Path.of("src/test/resources/reference/seed-2layer");
    static final Path DIGITS = Path.of("examples/data/digits");

    /** Rows of an array column {@code xName} (of x's rows) and a column {@code yName}: an array of y's rows, or a long. */
    static Dataset<Row> frame(SparkSession spark, Tensor x, Tensor y, boolean yScalarLong) {
        int n = x.shape().dim(0);
        int wx = x.size() / n;
        int wy = y.size() / n;
        List<Row> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Object yv = yScalarLong ? (Object) (long) y.data()[r] : floats(y.data(), r * wy, wy);
            rows.add(RowFactory.create(floats(x.data(), r * wx, wx), yv));
        }
        DataType yType = yScalarLong ? DataTypes.LongType : DataTypes.createArrayType(DataTypes.FloatType, false);
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("y", yType, false)});
        return spark.createDataFrame(rows, schema); // in the files' row order: row i is the .npy's row i
    }

    static List<Float> floats(float[] data, int from, int n) {
        List<Float> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(data[from + i]);
        }
        return l;
    }

    static Dataset<Row> canonical(SparkSession spark) {
        return frame(spark, Npy.read(CANONICAL.resolve("x.npy")), Npy.read(CANONICAL.resolve("y.npy")), false);
    }

    static Dataset<Row> digits(SparkSession spark) {
        return frame(spark, Npy.read(DIGITS.resolve("x_train.npy")), Npy.read(DIGITS.resolve("y_train.npy"), DType.INT64), true);
    }
}
