package dev.kiln.spark.bench;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Tensor;
import dev.kiln.spark.KilnModel;
import dev.kiln.spark.KilnSpark;
import dev.kiln.spark.Trained;
import dev.kiln.spark.Training;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Kiln on Spark against MLlib's {@code MultilayerPerceptronClassifier}, side by side in one JVM and one
 * Spark session: the same MLP (64-128-10, sigmoid hidden layer, softmax output), the same training rows
 * (the digits training set replicated to at least 200,000 rows, written once as Parquet and read by both),
 * the same 360 test images. Each is timed from its read of the Parquet data to its trained model (its own
 * data preparation and caching included); then both are scored on the test set. benchmarks/spark/run runs it.
 *
 * <p>Arguments: master, copies of the training set, Kiln's steps, its global batch, its learning rate (Adam),
 * MLlib's maxIter (L-BFGS, its default solver), a working directory.
 */
public final class SparkVsMllib {
    private SparkVsMllib() {}

    public static void main(String[] args) throws Exception {
        String master = args[0];
        int copies = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        float lr = Float.parseFloat(args[4]);
        int maxIter = Integer.parseInt(args[5]);
        Path work = Path.of(args[6]);
        int partitions = Integer.parseInt(master.replaceAll("\\D+", " ").trim().split(" ")[0]);
        Path digits = Path.of("examples/data/digits");
        SparkSession spark = SparkSession.builder().master(master).appName("kiln-vs-mllib")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "" + partitions).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            String train = work.resolve("train.parquet").toString();
            Dataset<Row> base = frame(spark, Npy.read(digits.resolve("x_train.npy")), Npy.read(digits.resolve("y_train.npy"), DType.INT64));
            base.crossJoin(spark.range(copies)).drop("id").write().mode("overwrite").parquet(train);
            long rows = spark.read().parquet(train).count();
            Tensor xTest = Npy.read(digits.resolve("x_test.npy"));
            Tensor yTest = Npy.read(digits.resolve("y_test.npy"), DType.INT64);
            System.out.printf("data: %d training rows (%d copies of 1,437), 360 test rows, %s%n", rows, copies, master);

            KilnModel model = KilnModel.of(Path.of("benchmarks/spark/mlp_sigmoid.kiln"));
            long t0 = System.nanoTime();
            long[] firstStep = new long[1];
            Trained kiln = KilnSpark.fit(spark.read().parquet(train), model, new Training().feed("x", "x").feed("y", "y")
                    .optimizer(t -> t.adam(lr)).steps(steps).batch(batch).seed(0).partitions(partitions)
                    .onStep((t, l) -> firstStep[0] = t == 0 ? System.nanoTime() : firstStep[0]));
            double kilnSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("kiln:  %.1f s to the end of the first step (reading, partitioning, converting the rows), then %.1f ms a step%n",
                    (firstStep[0] - t0) / 1e9, (System.nanoTime() - firstStep[0]) / 1e6 / Math.max(1, steps - 1));
            double kilnAccuracy = kilnAccuracy(model, kiln.variables(), xTest, yTest);
            System.out.printf("kiln:  %.1f s, %d steps of %d rows (Adam %s), test accuracy %.4f, last loss %.4f%n", kilnSeconds,
                    steps, batch, lr, kilnAccuracy, kiln.losses()[steps - 1]);

            t0 = System.nanoTime();
            Dataset<Row> mllibTrain = vectors(spark.read().parquet(train)).repartition(partitions).cache();
            MultilayerPerceptronClassificationModel mlp = new MultilayerPerceptronClassifier().setLayers(new int[] {64, 128, 10})
                    .setMaxIter(maxIter).setSeed(0L).fit(mllibTrain);
            double mllibSeconds = (System.nanoTime() - t0) / 1e9;
            double mllibAccuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                    .evaluate(mlp.transform(vectors(frame(spark, xTest, yTest))));
            System.out.printf("mllib: %.1f s, L-BFGS maxIter %d (%d iterations), test accuracy %.4f%n", mllibSeconds, maxIter,
                    mlp.summary().totalIterations(), mllibAccuracy);
            System.out.printf("kiln / mllib time: %.3f%n", kilnSeconds / mllibSeconds);
        } finally {
            spark.stop();
        }
    }

    /** Rows (x: the pixels as an array of floats, y: the label as a long), in the files' order. */
    static Dataset<Row> frame(SparkSession spark, Tensor x, Tensor y) {
        int n = y.size();
        List<Row> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            float[] px = new float[64];
            System.arraycopy(x.data(), r * 64, px, 0, 64);
            List<Float> l = new ArrayList<>(64);
            for (float v : px) {
                l.add(v);
            }
            rows.add(RowFactory.create(l, (long) y.data()[r]));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("y", DataTypes.LongType, false)});
        return spark.createDataFrame(rows, schema);
    }

    /** MLlib's columns: {@code features} (a dense vector) and {@code label} (a double). */
    static Dataset<Row> vectors(Dataset<Row> d) {
        return d.select(org.apache.spark.ml.functions.array_to_vector(functions.col("x")).as("features"),
                functions.col("y").cast("double").as("label"));
    }

    static double kilnAccuracy(KilnModel model, Map<String, Tensor> variables, Tensor x, Tensor y) {
        Graph g = model.graph().bind(y.size());
        Session s = Kiln.session(g, List.of("accuracy"), List.of(), Engine.COMPILED, new Options());
        for (String v : s.variableNames()) {
            if (variables.containsKey(v)) {
                s.setVariable(v, variables.get(v));
            }
        }
        return s.run(Map.of("x", x, "y", y)).get(0).item();
    }
}
