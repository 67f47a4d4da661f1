package dev.kiln.spark;

import dev.kiln.dsl.Optimizer;
import dev.kiln.dsl.Train;
import dev.kiln.ir.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings of one {@link KilnSpark#fit}: which columns feed which placeholders, the optimizer, how
 * long, the global minibatch, the seed. Fluent and mutable, as {@link dev.kiln.api.Options}; {@code fit}
 * reads it once, at the start.
 *
 * <pre>{@code
 * Training t = new Training().feed("x", "pixels").feed("y", "label")
 *         .optimizer(train -> train.adam(1e-3f)).steps(50).batch(64).seed(0);
 * }</pre>
 */
public final class Training {
    /** How the loss combines the rows of a minibatch, which decides how partial gradients are combined. */
    public enum Reduction {
        /** Read it from the loss node: a {@code reduce_mean} or {@code reduce_sum} over all its axes. */
        AUTO,
        /** The loss is a mean over the rows: partition p's gradient is weighted by its share n_p / B. */
        MEAN,
        /** The loss is a sum over the rows: partial gradients are added as they are. */
        SUM
    }

    /** Called on the driver after each step with the step's loss (the loss before its update). */
    @FunctionalInterface
    public interface StepListener {
        void step(int step, float loss);
    }

    final Map<String, List<String>> feeds = new LinkedHashMap<>();
    Function<Train, Optimizer> optimizer;
    String loss = "loss";
    int steps = -1;
    int epochs = -1;
    int batch = 64;
    long seed;
    boolean shuffle = true;
    int partitions;
    Reduction reduction = Reduction.AUTO;
    final Map<String, Tensor> initial = new LinkedHashMap<>();
    StepListener listener = (t, l) -> {};
    int failFirstAttemptAt = -1;

    /**
     * Feeds placeholder {@code placeholder} from {@code columns}: one array column holding each row's
     * values (flattened, row-major), or scalar numeric columns, one per value, in order.
     */
    public Training feed(String placeholder, String... columns) {
        Objects.requireNonNull(placeholder, "placeholder");
        if (columns.length == 0) {
            throw new IllegalArgumentException("feed " + placeholder + ": give at least one column");
        }
        feeds.put(placeholder, List.of(columns));
        return this;
    }

    /** Every placeholder from one column of the same name: {@code column -> placeholder}. */
    public Training feeds(Map<String, String> columnToPlaceholder) {
        columnToPlaceholder.forEach((column, placeholder) -> feed(placeholder, column));
        return this;
    }

    /** The optimizer, made on the driver's update graph, e.g. {@code train -> train.adam(1e-3f)}. */
    public Training optimizer(Function<Train, Optimizer> optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        return this;
    }

    /** The node minimized (default {@code loss}); it must have one element. */
    public Training loss(String name) {
        this.loss = Objects.requireNonNull(name, "loss");
        return this;
    }

    /** Train this many steps (one global minibatch each). */
    public Training steps(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("steps must not be negative, got " + n);
        }
        this.steps = n;
        this.epochs = -1;
        return this;
    }

    /** Train this many epochs of N / B steps each (N rows, B the global batch). */
    public Training epochs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("epochs must not be negative, got " + n);
        }
        this.epochs = n;
        this.steps = -1;
        return this;
    }

    /** The global minibatch B, summed over all partitions (default 64). */
    public Training batch(int b) {
        if (b < 1) {
            throw new IllegalArgumentException("the global batch must be at least 1, got " + b);
        }
        this.batch = b;
        return this;
    }

    /** The seed of the variables' initializers and of the shuffles, as {@code kiln train --seed}. */
    public Training seed(long s) {
        this.seed = s;
        return this;
    }

    /** Whether each epoch takes the rows in a new order (default true), as {@code kiln train --shuffle}. */
    public Training shuffle(boolean on) {
        this.shuffle = on;
        return this;
    }

    /** How many partitions hold the rows (default: as many as the data set has); row i goes to partition i mod P. */
    public Training partitions(int p) {
        if (p < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + p);
        }
        this.partitions = p;
        return this;
    }

    /** How the loss combines rows; {@link Reduction#AUTO} (the default) reads it from the graph. */
    public Training reduction(Reduction r) {
        this.reduction = Objects.requireNonNull(r, "reduction");
        return this;
    }

    /** Starts variable {@code name} from {@code value} instead of its initializer, as {@code kiln train --init}. */
    public Training initial(String name, Tensor value) {
        initial.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Called after each step on the driver. */
    public Training onStep(StepListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    /**
     * A test hook: the task of partition 0 at step {@code step} throws on its first attempt, so that Spark
     * retries it (the master must allow retries, e.g. {@code local[2,4]}).
     */
    Training failFirstAttemptAt(int step) {
        this.failFirstAttemptAt = step;
        return this;
    }
}
