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

    /** One partition's part of a step: its rows of the minibatch, their loss and gradients (a mean or sum over them). */
    record Partial(int partition, int rows, float loss, float[][] gradients) implements Serializable {}

    /** How many gradients-only instances this JVM compiled, for tests. */
    static int compiled() {
        return COMPILED.get();
    }

    static WorkerGraph graph(KilnModel model, String loss) {
        return GRAPHS.computeIfAbsent(List.of(model, loss), k -> WorkerGraph.of(model.graph(), loss));
    }

    /**
     * The partial of {@code block} for the minibatch {@code batchRows} with the variables at
     * {@code weights} (in the worker graph's order); null when the block holds none of its rows.
     */
    static Partial run(KilnModel model, String loss, List<Columns.Feed> feeds, Block block, int[] batchRows, float[][] weights) {
        int[] local = block.select(batchRows);
        if (local.length == 0) {
            return null;
        }
        WorkerGraph worker = graph(model, loss);
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
            List<Tensor> out = session.run(inputs);
            float[][] grads = new float[vars.size()][];
            for (int i = 0; i < vars.size(); i++) {
                grads[i] = out.get(i + 1).data().clone(); // the session reuses its arrays
            }
            return new Partial(block.partition(), local.length, out.get(0).data()[0], grads);
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
