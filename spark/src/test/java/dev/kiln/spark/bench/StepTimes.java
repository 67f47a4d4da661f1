package dev.kiln.spark.bench;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.spark.KilnModel;
import dev.kiln.spark.KilnSpark;
import dev.kiln.spark.Training;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * For docs/distributed.md: the time of one training step of examples/digits_mlp.kiln (64-128-10, Adam) at
 * several global batch sizes, on Spark (the given master, as many partitions as its cores) and on one
 * machine (a compiled session in this JVM, with one thread and with two), on the digits set replicated. Each figure is the
 * median step of the steps after the first {@code warm}. Arguments: master, copies, steps, warm, batch sizes....
 */
public final class StepTimes {
    private StepTimes() {}

    public static void main(String[] args) {
        String master = args[0];
        int copies = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int warm = Integer.parseInt(args[3]);
        int partitions = Integer.parseInt(master.replaceAll("\\D+", " ").trim().split(" ")[0]);
        Path digits = Path.of("examples/data/digits");
        Tensor x = Npy.read(digits.resolve("x_train.npy"));
        Tensor y = Npy.read(digits.resolve("y_train.npy"), DType.INT64);
        SparkSession spark = SparkSession.builder().master(master).appName("kiln-step-times")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row> data = SparkVsMllib.frame(spark, x, y).crossJoin(spark.range(copies)).drop("id").cache();
            long rows = data.count();
            KilnModel model = KilnModel.of(Path.of("examples/digits_mlp.kiln"));
            System.out.printf("%d rows, %s, %d partitions; median step after %d of %d%n", rows, master, partitions, warm, steps);
            System.out.println("batch | Spark step (ms) | one machine, 1 thread (ms) | one machine, 2 threads (ms)");
            for (int i = 4; i < args.length; i++) {
                int batch = Integer.parseInt(args[i]);
                long[] at = new long[steps + 1];
                at[0] = -1;
                long[] start = {0};
                KilnSpark.fit(data, model, new Training().feed("x", "x").feed("y", "y").optimizer(t -> t.adam(1e-3f))
                        .steps(steps).batch(batch).partitions(partitions).onStep((t, l) -> at[t + 1] = System.nanoTime()));
                double spark1 = median(at, warm);
                double one = single(model, x, batch, steps, warm, 1);
                double two = single(model, x, batch, steps, warm, 2);
                System.out.printf("%d | %.2f | %.2f | %.2f%n", batch, spark1, one, two);
            }
        } finally {
            spark.stop();
        }
    }

    private static double median(long[] at, int warm) {
        double[] d = new double[at.length - 1 - warm - 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = (at[warm + i + 2] - at[warm + i + 1]) / 1e6;
        }
        java.util.Arrays.sort(d);
        return d[d.length / 2];
    }

    /** One machine: the model's own training step on {@code batch} rows (random rows of x, labels 0..9). */
    private static double single(KilnModel model, Tensor x, int batch, int steps, int warm, int threads) {
        Graph g = model.graph().bind(batch);
        Session s = Kiln.session(g, java.util.List.of("loss"), g.sideEffects(), Engine.COMPILED, new Options().threads(threads));
        float[] xs = new float[batch * 64];
        float[] ys = new float[batch];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(x.data(), (r % 1437) * 64, xs, r * 64, 64);
            ys[r] = r % 10;
        }
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(batch, 64), xs), "y", new Tensor(Shape.of(batch), ys));
        long[] at = new long[steps + 1];
        for (int t = 0; t < steps; t++) {
            s.run(feeds);
            at[t + 1] = System.nanoTime();
        }
        return median(at, warm);
    }
}
