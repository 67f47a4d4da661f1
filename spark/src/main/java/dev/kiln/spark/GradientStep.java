package dev.kiln.spark;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a task does in its executor: the loss and the gradients of its partition's rows of the step's
 * minibatch, with the gradients-only class of the model.
 *
 * <p>Compiled classes live in a static cache of the executor's JVM, keyed by the model's text, the loss and
 * the number of rows, so a step compiles nothing once each partition size has been seen. A compiled
 * instance is not thread-safe, and an executor runs several tasks at once: each key holds a pool of
 * instances, taken for a task and given back after it, so there are at most as many instances of a key as
 * tasks ran it at once (one per core of the executor). The parsed worker graph is cached per model too.
 */
final class GradientStep {
    private GradientStep() {}

    private record Key(KilnModel model, String loss, int rows) {}

    private static final Map<List<Object>, WorkerGraph> GRAPHS = new ConcurrentHashMap<>();
    private static final Map<Key, Queue<Session>> SESSIONS = new ConcurrentHashMap<>();
    private static final AtomicInteger COMPILED = new AtomicInteger();

    /** One partition's part of a step: how many rows of the minibatch it held, and their contribution to the loss and gradients. */
    record Partial(int partition, int rows, float loss, float[][] gradients) implements Serializable {}

    /** How many gradients-only instances this JVM compiled, for tests. */
    static int compiled() {
        return COMPILED.get();
    }

    static WorkerGraph graph(KilnModel model, String loss) {
        return GRAPHS.computeIfAbsent(List.of(model, loss), k -> WorkerGraph.of(model.graph(), loss));
    }

    /**
     * The contribution of {@code block} to the step's loss and gradients for the minibatch {@code batchRows}
     * with the variables at {@code weights} (in the worker graph's order): for a sum loss the sum over its
     * rows, for a mean loss the mean over its rows weighted by their share of the minibatch. Null when the
     * block holds none of the minibatch's rows.
     *
     * <p>A partition's share of a random minibatch varies from step to step, and a class is compiled per
     * number of rows: so the rows are run in chunks whose sizes are the powers of two of that number's
     * binary form, largest first (283 rows: 256, 16, 8, 2, 1), and at most log2(B) + 1 sizes are ever compiled.
     */
    static Partial run(KilnModel model, String loss, List<Columns.Feed> feeds, Block block, int[] batchRows,
            float[][] weights, Training.Reduction reduction) {
        int[] local = block.select(batchRows);
        if (local.length == 0) {
            return null;
        }
        WorkerGraph worker = graph(model, loss);
        float total = 0;
        float[][] sum = null;
        int done = 0;
        for (int size = Integer.highestOneBit(local.length); size > 0; size >>= 1) {
            if ((local.length & size) == 0) {
                continue;
            }
            List<Tensor> out = chunk(model, loss, worker, feeds, block, java.util.Arrays.copyOfRange(local, done, done + size), weights);
            done += size;
            float share = reduction == Training.Reduction.MEAN ? (float) size / batchRows.length : 1f;
            total += share * out.get(0).data()[0];
            if (sum == null) {
                sum = new float[out.size() - 1][];
                for (int v = 0; v < sum.length; v++) {
                    sum[v] = new float[out.get(v + 1).size()];
                }
            }
            for (int v = 0; v < sum.length; v++) {
                float[] g = out.get(v + 1).data();
                float[] to = sum[v];
                for (int i = 0; i < g.length; i++) {
                    to[i] += share * g[i];
                }
            }
        }
        return new Partial(block.partition(), local.length, total, sum);
    }

    /** The loss and gradients of the block's rows {@code local} (positions in the block), from a cached instance. */
    private static List<Tensor> chunk(KilnModel model, String loss, WorkerGraph worker, List<Columns.Feed> feeds, Block block,
            int[] local, float[][] weights) {
        Map<String, Tensor> inputs = new HashMap<>();
        for (int f = 0; f < feeds.size(); f++) {
            Columns.Feed feed = feeds.get(f);
            int w = feed.width();
            float[] data = new float[local.length * w];
            for (int r = 0; r < local.length; r++) {
                System.arraycopy(block.values()[f], local[r] * w, data, r * w, w);
            }
            Shape s = worker.graph().node(feed.placeholder()).shape().bindUnknown(local.length);
            inputs.put(feed.placeholder(), new Tensor(s, data));
        }
        Key key = new Key(model, loss, local.length);
        Queue<Session> pool = SESSIONS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
        Session session = pool.poll();
        if (session == null) {
            session = compile(worker, loss, local.length);
        }
        try {
            List<String> vars = worker.variables();
            for (int i = 0; i < vars.size(); i++) {
                session.setVariable(vars.get(i), new Tensor(worker.graph().node(vars.get(i)).shape(), weights[i]));
            }
            return session.run(inputs); // read before the instance is given back: it reuses its arrays
        } finally {
            pool.add(session);
        }
    }

    private static Session compile(WorkerGraph worker, String loss, int rows) {
        List<String> fetches = new ArrayList<>();
        fetches.add(loss);
        for (String v : worker.variables()) {
            fetches.add(WorkerGraph.gradientName(v));
        }
        Session s = Kiln.session(worker.graph().bind(rows), fetches, List.of(), Engine.COMPILED, new Options());
        COMPILED.incrementAndGet();
        return s;
    }
}
