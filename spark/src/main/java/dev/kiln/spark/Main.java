package dev.kiln.spark;

import dev.kiln.dsl.Optimizer;
import dev.kiln.dsl.Train;
import dev.kiln.ir.KilnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code spark-submit} entry point: trains a {@code .kiln} model on a Parquet or CSV data set with
 * {@link KilnSpark#fit}, prints {@code t loss} every K steps (as {@code kiln train}) and saves the variables.
 *
 * <pre>
 * spark-submit --class dev.kiln.spark.Main kiln.jar examples/digits_mlp.kiln train.parquet \
 *     --feed x=x --feed y=y --optimizer adam --learning-rate 1e-3 --batch 64 --steps 1100 --save out/
 * </pre>
 */
@Command(name = "kiln-spark", mixinStandardHelpOptions = true,
        description = "Train a Kiln model on Apache Spark, data-parallel and deterministic.")
public final class Main implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.kiln", description = "The model script.")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "A Parquet file or directory, or a .csv file with a header.")
    String data;

    @Option(names = "--feed", paramLabel = "NAME=COLUMNS", required = true,
            description = "Feed placeholder NAME from one array column, from numeric columns a,b,c, or from every column"
                    + " whose name starts with p (p*), in the data's order (repeatable).")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, adam or rmsprop (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "(default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "For --optimizer momentum (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--loss", defaultValue = "loss", description = "The node to minimize (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--steps", description = "Steps to train (default: one epoch).")
    Integer steps;

    @Option(names = "--epochs", description = "Epochs to train, instead of --steps.")
    Integer epochs;

    @Option(names = "--batch", defaultValue = "64", description = "The global minibatch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initializers and shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--partitions", description = "Partitions holding the rows (default: the data's).")
    Integer partitions;

    @Option(names = "--print-every", defaultValue = "100", description = "Print 't loss' when (t+1) %% K == 0 (default: ${DEFAULT-VALUE}).")
    int printEvery;

    @Option(names = "--save", paramLabel = "DIR|FILE.npz", description = "Write every variable as kiln train --save does.")
    Path save;

    @Option(names = "--master", description = "The Spark master when spark-submit sets none (default: local[*]).")
    String master;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof KilnException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("kiln-spark: error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() {
        SparkSession.Builder builder = SparkSession.builder().appName("kiln " + model.getFileName());
        if (master != null) {
            builder.master(master);
        } else if (!new org.apache.spark.SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row> rows = data.endsWith(".csv")
                    ? spark.read().option("header", "true").option("inferSchema", "true").csv(data)
                    : spark.read().parquet(data);
            Training training = new Training().loss(loss).batch(batch).seed(seed).optimizer(optimizer());
            for (String f : feeds) {
                int eq = f.indexOf('=');
                if (eq <= 0 || eq == f.length() - 1) {
                    throw new KilnException("--feed " + f + ": expected NAME=COLUMNS");
                }
                training.feed(f.substring(0, eq), columns(f.substring(eq + 1), rows.columns()));
            }
            if (epochs != null) {
                training.epochs(epochs);
            } else if (steps != null) {
                training.steps(steps);
            } else {
                training.epochs(1);
            }
            if (partitions != null) {
                training.partitions(partitions);
            }
            training.onStep((t, l) -> {
                if ((t + 1) % printEvery == 0) {
                    System.out.println(t + " " + l);
                }
            });
            Trained trained = KilnSpark.fit(rows, KilnModel.of(model), training);
            if (save != null) {
                trained.save(save);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private Function<Train, Optimizer> optimizer() {
        float lr = learningRate;
        float m = momentum;
        return switch (optimizer) {
            case "sgd" -> t -> t.gradientDescent(lr);
            case "momentum" -> t -> t.momentum(lr, m);
            case "adam" -> t -> t.adam(lr);
            case "rmsprop" -> t -> t.rmsProp(lr);
            default -> throw new KilnException("--optimizer " + optimizer + ": expected sgd, momentum, adam or rmsprop");
        };
    }

    /** {@code a,b,c}, or every column starting with {@code p} for {@code p*}, in the data's order. */
    static String[] columns(String spec, String[] all) {
        if (spec.endsWith("*")) {
            String prefix = spec.substring(0, spec.length() - 1);
            String[] matched = Arrays.stream(all).filter(c -> c.startsWith(prefix)).toArray(String[]::new);
            if (matched.length == 0) {
                throw new KilnException("--feed ...=" + spec + ": no column starts with '" + prefix + "' (columns: "
                        + String.join(", ", all) + ")");
            }
            return matched;
        }
        return spec.split(",");
    }
}
