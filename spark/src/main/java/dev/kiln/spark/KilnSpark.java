package dev.kiln.spark;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Synchronous data-parallel training of a Kiln model on Apache Spark (see {@code docs/distributed.md}).
 *
 * <p>Row i of the data set (in the order Spark reads it) lives in partition {@code i mod P} for the whole
 * run, converted once to floats and cached. Each step the driver draws the global minibatch exactly as
 * {@code kiln train --minibatch B --shuffle} does, broadcasts the current weights, and every partition
 * computes the loss and gradients of its rows of that minibatch with the model's gradients-only class
 * (compiled once per executor JVM and chunk size, {@link GradientStep}), weighted by its share of the rows
 * when the loss is a mean. The driver collects the partials in partition order, sums them in that order and applies the optimizer's update once ({@link DriverUpdate}). Nothing depends on
 * which executor ran what, or when: two runs give the same bits, also when a task failed and was retried.
 */
public final class KilnSpark {
    private KilnSpark() {}

    private static final java.util.concurrent.atomic.AtomicInteger HOOK_FAILURES = new java.util.concurrent.atomic.AtomicInteger();

    /** How many tasks of this JVM failed by {@link Training#failFirstAttemptAt}'s hook, for tests. */
    static int hookFailures() {
        return HOOK_FAILURES.get();
    }

    /**
     * Trains {@code model} on {@code data} as {@code training} says; returns every variable and the losses.
     *
     * @throws KilnException before any step, with one line naming the column or placeholder, when the data
     *     set does not fit the model: a column missing, of the wrong type or width, a placeholder the loss
     *     reads without a column, a feed naming no placeholder, an empty data set or one smaller than the batch
     */
    public static Trained fit(Dataset<Row> data, KilnModel model, Training training) {
        if (training.optimizer == null) {
            throw new KilnException("no optimizer: give one, e.g. training.optimizer(train -> train.adam(1e-3f))");
        }
        if (training.steps < 0 && training.epochs < 0) {
            throw new KilnException("how long to train: give training.steps(N) or training.epochs(N)");
        }
        Graph graph = model.graph();
        WorkerGraph worker = GradientStep.graph(model, training.loss);
        Training.Reduction reduction = reduction(worker, training);
        List<Columns.Feed> feeds = Columns.plan(graph, graph.node(training.loss), training.feeds, data.schema());
        int partitions = training.partitions > 0 ? training.partitions : Math.max(1, data.rdd().getNumPartitions());
        JavaRDD<Block> blocks = blocks(data, feeds, partitions);
        try {
            int rows = checkBlocks(blocks, training.batch);
            MinibatchOrder order = new MinibatchOrder(rows, training.batch, training.seed, training.shuffle);
            int steps = training.steps >= 0 ? training.steps : training.epochs * order.stepsPerEpoch();
            DriverUpdate update = new DriverUpdate(graph.sourceFile(), initialValues(graph, worker, training), training.optimizer);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
            float[] losses = new float[steps];
            for (int t = 0; t < steps; t++) {
                losses[t] = step(sc, blocks, model, training, feeds, reduction, update, order.step(t), t);
                training.listener.step(t, losses[t]);
            }
            return new Trained(update.all(), losses);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** One step: the partials of every partition, combined in partition order, and the update; returns the loss. */
    private static float step(JavaSparkContext sc, JavaRDD<Block> blocks, KilnModel model, Training training,
            List<Columns.Feed> feeds, Training.Reduction reduction, DriverUpdate update, int[] batchRows, int t) {
        Broadcast<float[][]> weights = sc.broadcast(update.weights());
        String loss = training.loss;
        int failAt = training.failFirstAttemptAt;
        try {
            List<GradientStep.Partial> partials = blocks.mapPartitions(it -> {
                List<GradientStep.Partial> out = new ArrayList<>(1);
                while (it.hasNext()) {
                    Block b = it.next();
                    if (t == failAt && b.partition() == 0 && TaskContext.get().attemptNumber() == 0) {
                        HOOK_FAILURES.incrementAndGet();
                        throw new IllegalStateException("test hook: the first attempt of partition 0 at step " + t + " fails");
                    }
                    GradientStep.Partial p = GradientStep.run(model, loss, feeds, b, batchRows, weights.value(), reduction);
                    if (p != null) {
                        out.add(p);
                    }
                }
                return out.iterator();
            }).collect(); // in partition order, whatever order the tasks finished in
            float[][] combined = new float[partials.get(0).gradients().length][];
            float total = 0;
            for (GradientStep.Partial p : partials) { // already weighted by their share for a mean loss
                total += p.loss();
                for (int v = 0; v < combined.length; v++) {
                    float[] g = p.gradients()[v];
                    if (combined[v] == null) {
                        combined[v] = new float[g.length];
                    }
                    for (int i = 0; i < g.length; i++) {
                        combined[v][i] += g[i];
                    }
                }
            }
            update.apply(combined);
            return total;
        } finally {
            weights.destroy();
        }
    }

    private static Training.Reduction reduction(WorkerGraph worker, Training training) {
        if (training.reduction != Training.Reduction.AUTO) {
            return training.reduction;
        }
        Training.Reduction r = worker.reduction();
        if (r == null) {
            throw new KilnException("cannot tell whether the loss '" + training.loss + "' is a mean or a sum over the rows (it is "
                    + worker.loss().op().name() + ", not a reduce_mean or reduce_sum over every axis): say which with"
                    + " training.reduction(MEAN or SUM)");
        }
        return r;
    }

    /** Row i of {@code data} in partition i mod {@code partitions}, converted to a {@link Block} and cached. */
    private static JavaRDD<Block> blocks(Dataset<Row> data, List<Columns.Feed> feeds, int partitions) {
        JavaRDD<Block> blocks = data.javaRDD().zipWithIndex()
                .mapPartitionsToPair(pairs -> Block.pieces(pairs, feeds, partitions))
                .partitionBy(new BlockPartitioner(partitions))
                .mapPartitionsWithIndex((p, pieces) -> List.of(Block.of(p, pieces, feeds)).iterator(), true);
        return blocks.persist(StorageLevel.MEMORY_ONLY());
    }

    /** The number of rows, after checking every block converted and there are enough rows for a batch. */
    private static int checkBlocks(JavaRDD<Block> blocks, int batch) {
        long rows = 0;
        Block.Summary bad = null; // the first bad row of the data set
        for (Block.Summary s : blocks.map(Block::summary).collect()) {
            if (s.problem() != null && (bad == null || s.problemRow() < bad.problemRow())) {
                bad = s;
            }
            rows += s.rows();
        }
        if (bad != null) {
            throw new KilnException("bad input: " + bad.problem());
        }
        if (rows == 0) {
            throw new KilnException("the data set is empty: there is nothing to train on");
        }
        if (rows < batch) {
            throw new KilnException("the global batch is " + batch + " rows but the data set has only " + rows);
        }
        return Math.toIntExact(rows);
    }

    /** The trained variables' starting values: their initializers' from the seed, or the ones given. */
    private static Map<String, Tensor> initialValues(Graph graph, WorkerGraph worker, Training training) {
        for (String name : training.initial.keySet()) {
            if (!worker.variables().contains(name)) {
                throw new KilnException("initial value for '" + name + "': not a variable the loss depends on (trained: "
                        + String.join(", ", worker.variables()) + ")");
            }
        }
        Session s = Kiln.session(graph.bind(1), List.of(), List.of(), Engine.INTERPRETER, new Options().seed(training.seed));
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (String v : worker.variables()) {
            values.put(v, training.initial.containsKey(v) ? training.initial.get(v) : s.variable(v));
        }
        return values;
    }

    /** Pieces for block b to partition b: row i stays in partition i mod P for the whole run. */
    static final class BlockPartitioner extends Partitioner {
        private final int partitions;

        BlockPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockPartitioner b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
