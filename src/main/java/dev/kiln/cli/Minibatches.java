package dev.kiln.cli;

import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The feeds of {@code train --minibatch B}: the file of each fed placeholder whose first dimension the model
 * declares {@code None} holds the whole data set, N rows along that dimension, the same N for every such
 * feed; other feeds (a {@code keep_prob}) are fed as they are every step. An epoch
 * is {@code N / B} steps, each taking the next B rows; the rows left over at the end of an epoch (fewer than
 * B) are not used in it, as {@code drop_remainder} does. With {@code --shuffle} every epoch takes the rows
 * in a new order, drawn from the run's seed, so a run repeats exactly. Placeholders without a feed keep
 * their random data, the same every step. The batch tensors are filled in place: no allocation per step.
 */
final class Minibatches {
    private final Map<String, Tensor> data;
    private final Map<String, Tensor> batch = new LinkedHashMap<>();
    private final int size;
    private final int rows;
    private final int[] order;
    private final Random random;

    private Minibatches(Map<String, Tensor> data, Map<String, Tensor> batchFeeds, int size, int rows, Long shuffleSeed) {
        this.data = data;
        this.size = size;
        this.rows = rows;
        this.order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        this.random = shuffleSeed == null ? null : new Random(shuffleSeed);
        batch.putAll(batchFeeds);
    }

    /**
     * Checks the data sets against {@code graph}'s placeholders (bound to the minibatch {@code size}) and makes
     * the batches; {@code feeds} are the prepared feeds (whole data sets for those in {@code fed}).
     */
    static Minibatches of(Graph graph, Map<String, Tensor> feeds, List<String> fed, int size, Long shuffleSeed) {
        if (size < 1) {
            throw new KilnException("--minibatch must be at least 1, got " + size);
        }
        if (fed.isEmpty()) {
            throw new KilnException("--minibatch " + size + ": give the data sets to take minibatches from with --feed"
                    + " (placeholders whose first dimension is None)");
        }
        Map<String, Tensor> data = new LinkedHashMap<>();
        Map<String, Tensor> batches = new LinkedHashMap<>(feeds);
        int rows = -1;
        String first = null;
        for (String name : fed) {
            Node p = graph.node(name);
            Tensor t = feeds.get(name);
            Shape s = p.shape();
            if (t.shape().rank() != s.rank()) {
                throw new KilnException("--minibatch " + size + ": placeholder '" + name + "' (shape " + s + ") cannot take"
                        + " rows of its data set of shape " + t.shape());
            }
            if (rows >= 0 && t.shape().dim(0) != rows) {
                throw new KilnException("--minibatch: the data sets differ in rows: '" + first + "' has " + rows + ", '"
                        + name + "' " + t.shape().dim(0));
            }
            rows = t.shape().dim(0);
            first = first == null ? name : first;
            if (!rowShape(t.shape()).equals(rowShape(s))) {
                throw new KilnException("--minibatch: placeholder '" + name + "' takes rows of shape " + rowShape(s)
                        + ", its data set has rows of shape " + rowShape(t.shape()));
            }
            data.put(name, t);
            batches.put(name, new Tensor(s, new float[s.size()]));
        }
        if (rows < size) {
            throw new KilnException("--minibatch " + size + ": the data sets have only " + rows + " rows");
        }
        return new Minibatches(data, batches, size, rows, shuffleSeed);
    }

    private static String rowShape(Shape s) {
        int[] dims = s.dims();
        return Shape.of(Arrays.copyOfRange(dims, 1, dims.length)).toString();
    }

    /** Steps per epoch: the whole minibatches the data sets hold. */
    int stepsPerEpoch() {
        return rows / size;
    }

    /** The feeds of step {@code t}, filled from the data sets (the same tensors each step, refilled). */
    Map<String, Tensor> step(int t) {
        int within = t % stepsPerEpoch();
        if (within == 0 && random != null) {
            for (int i = rows - 1; i > 0; i--) { // Fisher-Yates, a new order each epoch
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        for (Map.Entry<String, Tensor> d : data.entrySet()) {
            float[] from = d.getValue().data();
            float[] to = batch.get(d.getKey()).data();
            int row = to.length / size;
            for (int r = 0; r < size; r++) {
                System.arraycopy(from, order[within * size + r] * row, to, r * row, row);
            }
        }
        return batch;
    }
}
