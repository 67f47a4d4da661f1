package dev.kiln.bench;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training graphs of any size, for measuring how compile time grows with the node count and for the
 * big-graph tests: a stack of small residual blocks {@code h = h + 0.5 * tanh(h @ w_i + b_i)}, every one
 * with its own variables, many with their own placeholder, some with longer elementwise chains, a
 * product with a transposed operand, or a fan of branches summed, each adding a reduction of its output
 * to the loss (a wide fan-in); then the gradients of the loss with respect to every variable and a plain
 * SGD assign for each. Each block builds the same number of nodes as every other block of its kind, so
 * the size grows linearly with the number of blocks.
 */
public final class BigGraph {
    /** Rows of every activation. */
    public static final int BATCH = 4;
    /** Columns of every activation. */
    public static final int WIDTH = 8;
    /** A block with an index divisible by this reads a placeholder of its own. */
    static final int FEED_EVERY = 5;

    private BigGraph() {}

    /** The graph with {@code blocks} blocks (at least 1). */
    public static Graph blocks(int blocks) {
        Tf tf = new Tf("big_graph.kiln");
        Node x = tf.placeholder("x", Tf.shape(BATCH, WIDTH));
        Node h = x;
        List<Node> variables = new ArrayList<>();
        Node loss = null;
        for (int i = 0; i < blocks; i++) {
            Node w = tf.variable("w" + i, tf.randomNormal(Tf.shape(WIDTH, WIDTH), 0f, 0.1f, null));
            Node b = tf.variable("b" + i, tf.zeros(Tf.shape(WIDTH)));
            variables.add(w);
            variables.add(b);
            Node z = tf.add(tf.matmul(h, w), b);
            Node a = tf.tanh(z);
            if (i % 3 == 1) { // a longer elementwise chain
                a = tf.sub(tf.mul(a, tf.sigmoid(z)), tf.mul(0.1f, tf.exp(tf.neg(tf.mul(z, z)))));
            }
            if (i % FEED_EVERY == 0) { // a placeholder of its own
                a = tf.add(a, tf.mul(0.1f, tf.placeholder("p" + i, Tf.shape(BATCH, WIDTH))));
            }
            if (i % 7 == 3) { // a product with a transposed operand
                a = tf.add(a, tf.mul(0.05f, tf.matmul(h, w, false, true)));
            }
            if (i % 11 == 5) { // a fan of branches from one value, summed
                Node fan = tf.sigmoid(tf.mul(h, 0.5f));
                for (int j = 1; j < 6; j++) {
                    fan = tf.add(fan, tf.sigmoid(tf.mul(h, 0.5f + 0.1f * j)));
                }
                a = tf.add(a, tf.mul(0.02f, fan));
            }
            h = tf.add(h, tf.mul(0.5f, a));
            Node part = tf.reduceMean(tf.square(h), new int[] {1}, false); // [BATCH]
            Node term = tf.reduceSum(tf.mul(part, 0.01f));
            loss = loss == null ? term : tf.add(loss, term);
        }
        Node y = tf.placeholder("y", Tf.shape(BATCH, WIDTH));
        loss = tf.name("loss", tf.add(loss, tf.reduceMean(tf.square(tf.sub(h, y)))));
        List<Node> grads = tf.gradients(loss, variables);
        for (int v = 0; v < variables.size(); v++) {
            tf.assign(variables.get(v), tf.sub(variables.get(v), tf.mul(1e-3f, grads.get(v))));
        }
        return tf.build();
    }

    /** The graph whose node count is nearest to {@code nodes}. */
    public static Graph ofAbout(int nodes) {
        int base = blocks(1).nodes().size();
        double perBlock = (blocks(31).nodes().size() - base) / 30.0;
        int n = Math.max(1, 1 + (int) Math.round((nodes - base) / perBlock));
        Graph g = blocks(n);
        for (int step = g.nodes().size() < nodes ? 1 : -1; n + step >= 1; n += step) {
            Graph next = blocks(n + step);
            if (Math.abs(next.nodes().size() - nodes) >= Math.abs(g.nodes().size() - nodes)) {
                break;
            }
            g = next;
        }
        return g;
    }

    /** Random values for every placeholder of {@code g}, the same every time. */
    public static Map<String, Tensor> feeds(Graph g) {
        Random r = new Random(Models.DATA_SEED);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Node p : g.placeholders()) {
            Shape s = p.shape();
            float[] d = new float[s.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) r.nextGaussian();
            }
            feeds.put(p.name(), new Tensor(s, d));
        }
        return feeds;
    }
}
