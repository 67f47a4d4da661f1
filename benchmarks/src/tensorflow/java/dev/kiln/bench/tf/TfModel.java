package dev.kiln.bench.tf;

import dev.kiln.api.Session;
import dev.kiln.bench.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One of the benchmark graphs built with TensorFlow Java 1.1.0's ops API, as the TF1 program builds it:
 * placeholders with a {@code None} batch, (reference) variables initialized from the same values Kiln
 * starts from, {@code tf.gradients}, and assigns under control dependencies on every gradient, so that
 * no update lands before a gradient has read the old value (TF1 itself leaves that order to chance).
 * Runs in a session with one intra-op and one inter-op thread ({@code threads = "1"}) or with
 * TensorFlow's defaults ({@code "default"}). The feeds are tensors made once.
 */
public final class TfModel implements AutoCloseable {
    private final Graph graph;
    private final org.tensorflow.Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> y;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> yPred;
    private final List<Assign<TFloat32>> assigns = new ArrayList<>();
    private final TFloat32 xFeed;
    private final TFloat32 yFeed;
    private final float[] out;
    private final FloatDataBuffer outBuffer;
    private final String name;
    private final Models.Data data;

    /** {@code graph}: two_layer, elementwise or mlp4; {@code threads}: "1" or "default". */
    public TfModel(String graphName, int batch, String threads) {
        this.name = graphName;
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        Map<String, dev.kiln.ir.Tensor> init = Models.initialVariables(graphName);
        data = Models.data(graphName, batch);
        x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, data.dIn())));
        y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, data.dOut())));
        List<Variable<TFloat32>> vars = new ArrayList<>();
        for (Map.Entry<String, dev.kiln.ir.Tensor> e : init.entrySet()) {
            long[] dims = java.util.Arrays.stream(e.getValue().shape().dims()).asLongStream().toArray();
            vars.add(tf.variable(tf.constant(Shape.of(dims), DataBuffers.of(e.getValue().data(), true, true))));
        }
        float learningRate;
        switch (graphName) {
            case "two_layer" -> {
                // h = x @ w1; h_relu = max(h, zeros(1)); y_pred = h_relu @ w2; loss = sum((y - y_pred) ** 2)
                Operand<TFloat32> h = tf.linalg.matMul(x, vars.get(0));
                Operand<TFloat32> hRelu = tf.math.maximum(h, tf.constant(new float[] {0f}));
                yPred = tf.linalg.matMul(hRelu, vars.get(1));
                loss = tf.reduceSum(tf.math.pow(tf.math.sub(y, yPred), tf.constant(2f)), tf.constant(new int[] {0, 1}));
                learningRate = 1e-6f;
            }
            case "elementwise" -> {
                // z = x * w + b; g = tanh(z) * sigmoid(z) + exp(-z * z); loss = mean(square(g - y))
                Operand<TFloat32> z = tf.math.add(tf.math.mul(x, vars.get(0)), vars.get(1));
                Operand<TFloat32> g = tf.math.add(tf.math.mul(tf.math.tanh(z), tf.math.sigmoid(z)),
                        tf.math.exp(tf.math.mul(tf.math.neg(z), z)));
                yPred = g;
                loss = tf.math.mean(tf.math.square(tf.math.sub(g, y)), tf.constant(new int[] {0, 1}));
                learningRate = 0.5f;
            }
            case "mlp4" -> {
                Operand<TFloat32> a = x;
                for (int i = 0; i < 3; i++) {
                    a = tf.nn.relu(tf.linalg.matMul(a, vars.get(i)));
                }
                yPred = tf.linalg.matMul(a, vars.get(3));
                loss = tf.math.mean(tf.math.square(tf.math.sub(yPred, y)), tf.constant(new int[] {0, 1}));
                learningRate = 0.01f;
            }
            default -> throw new IllegalArgumentException("unknown graph " + graphName);
        }
        Gradients grads = tf.gradients(loss, vars);
        List<Op> deps = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            deps.add(grads.dy(i));
        }
        Ops after = tf.withControlDependencies(deps);
        for (int i = 0; i < vars.size(); i++) {
            Operand<TFloat32> gi = grads.dy(i);
            assigns.add(after.assign(vars.get(i),
                    after.math.sub(vars.get(i), after.math.mul(after.constant(learningRate), gi))));
        }
        session = new org.tensorflow.Session(graph, config(threads));
        session.initialize();
        xFeed = TFloat32.tensorOf(Shape.of(batch, data.dIn()), DataBuffers.of(data.x(), true, false));
        yFeed = TFloat32.tensorOf(Shape.of(batch, data.dOut()), DataBuffers.of(data.y(), true, false));
        out = new float[batch * data.dOut()];
        outBuffer = DataBuffers.of(out, false, false);
    }

    /** A session's configuration: one intra-op and one inter-op thread ({@code "1"}) or TensorFlow's defaults. */
    static ConfigProto config(String threads) {
        return threads.equals("1")
                ? ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build()
                : ConfigProto.getDefaultInstance();
    }

    /** One training step: the loss fetched in the run that performs every assign. */
    public float step() {
        org.tensorflow.Session.Runner r = session.runner().feed(x, xFeed).feed(y, yFeed).fetch(loss);
        for (Assign<TFloat32> a : assigns) {
            r.addTarget(a);
        }
        try (Result res = r.run()) {
            return ((TFloat32) res.get(0)).getFloat();
        }
    }

    /** The forward pass: y_pred for the fed x, copied into a reused array. */
    public float[] forward() {
        try (Result res = session.runner().feed(x, xFeed).fetch(yPred).run()) {
            ((TFloat32) res.get(0)).copyTo(outBuffer);
        }
        return out;
    }

    /** Sets every variable back to its initial value. */
    public void reset() {
        session.forceInitialize();
    }

    /**
     * Checks that this graph computes what Kiln's does, then resets the variables. For the canonical
     * graph at batch 64: the first {@code steps} losses against the reference trajectory TensorFlow Java
     * recorded ({@code tf_loss.txt}), by the reference README's rule. For the others: the first
     * {@code steps} losses against Kiln's interpreter on the same data, within 1e-4 relative. Returns a
     * line per step; throws if any disagrees.
     */
    public List<String> verify(int steps) {
        List<String> lines = new ArrayList<>();
        float[] expected = new float[steps];
        String against;
        if (name.equals("two_layer") && data.batch() == 64) {
            float[] ref = Models.referenceLosses("tf");
            System.arraycopy(ref, 0, expected, 0, steps);
            against = "tf_loss.txt";
        } else {
            Session s = Models.interpreterStep(name, data.batch());
            for (int t = 0; t < steps; t++) {
                expected[t] = s.run(data.feeds(true)).get(0).item();
            }
            against = "Kiln interpreter";
        }
        boolean ok = true;
        for (int t = 0; t < steps; t++) {
            float got = step();
            boolean agree = name.equals("two_layer") && data.batch() == 64
                    ? Models.agreesWithReference(got, expected[t], expected[0])
                    : Math.abs((double) got - expected[t]) <= 1e-4 * Math.abs(expected[t]);
            ok &= agree;
            lines.add(name + " step " + t + ": TensorFlow " + got + ", " + against + " " + expected[t] + (agree ? "" : "  DISAGREE"));
        }
        reset();
        if (!ok) {
            throw new IllegalStateException("TensorFlow's " + name + " graph disagrees:\n" + String.join("\n", lines));
        }
        return lines;
    }

    /** Checks the forward pass against Kiln's interpreter: every element within 1e-4 of the largest. */
    public void verifyForward() {
        float[] expected = Models.interpreterForward(name, data.batch()).run(data.feeds(false)).get(0).data();
        float[] got = forward();
        float scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= 1e-4f * scale)) {
                throw new IllegalStateException("TensorFlow's " + name + " forward pass disagrees at element " + i + ": "
                        + got[i] + " vs Kiln's interpreter " + expected[i]);
            }
        }
    }

    @Override
    public void close() {
        xFeed.close();
        yFeed.close();
        session.close();
        graph.close();
    }

    /** Prints the check of every graph, with both session configurations. */
    public static void main(String[] args) {
        for (String threads : List.of("1", "default")) {
            for (String g : Models.GRAPHS) {
                try (TfModel m = new TfModel(g, 64, threads)) {
                    System.out.println("threads=" + threads);
                    m.verify(g.equals("two_layer") ? 10 : 3).forEach(System.out::println);
                }
            }
        }
    }
}
