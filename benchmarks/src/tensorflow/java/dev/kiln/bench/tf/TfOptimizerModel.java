package dev.kiln.bench.tf;

import dev.kiln.api.Session;
import dev.kiln.bench.Models;
import dev.kiln.bench.Variants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A graph trained by one of {@code tf.train}'s optimizers, built with TensorFlow Java 1.1.0's ops API as
 * TF1's optimizer builds it: the same forward graph as Kiln's ({@link Models}: same data, same starting
 * weights), {@code tf.gradients}, then TensorFlow's own fused kernel per variable ({@code ApplyAdam},
 * {@code ApplyMomentum}, {@code ApplyRMSProp}) under control dependencies on every gradient, on slot
 * variables made as TF1 makes them (Adam's m and v and Momentum's accumulator at zero, RMSProp's ms at one and
 * its momentum at zero). Adam's {@code beta1_power} and {@code beta2_power} start at β₁ and β₂ and are
 * multiplied by them after every apply, under control dependencies on the applies (TF1's
 * {@code AdamOptimizer._finish}). Graphs: {@code two_layer_adam}, {@code digits_mlp} (sparse softmax
 * cross-entropy on int64 labels fed as an int64 tensor, bias adds) and, for checks only,
 * {@code two_layer_momentum}, {@code two_layer_nesterov}, {@code two_layer_rmsprop}.
 */
public final class TfOptimizerModel implements AutoCloseable {
    private final String name;
    private final Models.Data data;
    private final Graph graph;
    private final org.tensorflow.Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<?> y;
    private final Operand<TFloat32> loss;
    private final List<Op> targets = new ArrayList<>();
    private final TFloat32 xFeed;
    private final Tensor yFeed;

    // TensorFlow's C++ library, which tf.gradients uses from Java, has no gradient for
    // SparseSoftmaxCrossEntropyWithLogits (TF1's Python defines it); this is TF1's:
    // expand_dims(grad_loss, -1) * backprop, none for the labels.
    static {
        TensorFlow.registerCustomGradient("SparseSoftmaxCrossEntropyWithLogits", (tf, op, gradOutputs) -> {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> gradLoss = (Operand<TFloat32>) gradOutputs.get(0);
            Operand<TFloat32> backprop = op.output(1);
            // TensorFlow Java takes no null for "no gradient": the labels get zeros, which nothing uses.
            return List.of(tf.math.mul(tf.expandDims(gradLoss, tf.constant(-1)), backprop), tf.zerosLike(op.input(1)));
        });
    }

    /** {@code graphName}: one of those above; {@code threads}: "1" or "default", as for {@link TfModel}. */
    public TfOptimizerModel(String graphName, int batch, String threads) {
        this.name = graphName;
        this.data = Models.data(graphName, batch);
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        boolean digits = graphName.equals("digits_mlp");
        Map<String, dev.kiln.ir.Tensor> init = Models.initialVariables(graphName);
        List<Variable<TFloat32>> vars = new ArrayList<>();
        for (String v : digits ? List.of("w1", "b1", "w2", "b2") : List.of("w1", "w2")) {
            vars.add(tf.variable(constant(tf, init.get(v))));
        }
        x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, data.dIn())));
        if (digits) {
            // hidden = relu(x @ w1 + b1); logits = hidden @ w2 + b2
            // loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
            Placeholder<TInt64> labels = tf.withName("y").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
            y = labels;
            Operand<TFloat32> hidden = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(x, vars.get(0)), vars.get(1)));
            Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(hidden, vars.get(2)), vars.get(3));
            loss = tf.math.mean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(new int[] {0}));
        } else {
            // h = x @ w1; h_relu = max(h, zeros(1)); y_pred = h_relu @ w2; loss = sum((y - y_pred) ** 2)
            Placeholder<TFloat32> yTargets = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, data.dOut())));
            y = yTargets;
            Operand<TFloat32> h = tf.linalg.matMul(x, vars.get(0));
            Operand<TFloat32> yPred = tf.linalg.matMul(tf.math.maximum(h, tf.constant(new float[] {0f})), vars.get(1));
            loss = tf.reduceSum(tf.math.pow(tf.math.sub(yTargets, yPred), tf.constant(2f)), tf.constant(new int[] {0, 1}));
        }
        Gradients grads = tf.gradients(loss, vars);
        List<Op> deps = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            deps.add(grads.dy(i));
        }
        Ops after = tf.withControlDependencies(deps);
        switch (graphName) {
            case "two_layer_adam" -> adam(tf, after, vars, grads, 1e-4f);
            case "digits_mlp" -> adam(tf, after, vars, grads, 1e-3f);
            case "two_layer_momentum", "two_layer_nesterov" -> {
                boolean nesterov = graphName.equals("two_layer_nesterov");
                for (int i = 0; i < vars.size(); i++) {
                    Variable<TFloat32> accum = tf.variable(tf.zeros(dims(tf, vars.get(i)), TFloat32.class));
                    targets.add(after.train.applyMomentum(vars.get(i), accum, tf.constant(1e-6f), grads.<TFloat32>dy(i),
                            tf.constant(0.9f), ApplyMomentum.useNesterov(nesterov)));
                }
            }
            case "two_layer_rmsprop" -> {
                // RMSPropOptimizer(1e-4): decay 0.9, momentum 0, epsilon 1e-10; ms starts at one, mom at zero
                for (int i = 0; i < vars.size(); i++) {
                    Variable<TFloat32> ms = tf.variable(tf.fill(dims(tf, vars.get(i)), tf.constant(1f)));
                    Variable<TFloat32> mom = tf.variable(tf.zeros(dims(tf, vars.get(i)), TFloat32.class));
                    targets.add(after.train.applyRmsProp(vars.get(i), ms, mom, tf.constant(1e-4f), tf.constant(0.9f),
                            tf.constant(0f), tf.constant(1e-10f), grads.<TFloat32>dy(i)));
                }
            }
            default -> throw new IllegalArgumentException("unknown graph " + graphName);
        }
        session = new org.tensorflow.Session(graph, TfModel.config(threads));
        session.initialize();
        xFeed = TFloat32.tensorOf(Shape.of(batch, data.dIn()), DataBuffers.of(data.x(), true, false));
        if (digits) {
            long[] l = new long[batch];
            for (int i = 0; i < batch; i++) {
                l[i] = (long) data.y()[i];
            }
            yFeed = TInt64.tensorOf(Shape.of(batch), DataBuffers.of(l, true, false));
        } else {
            yFeed = TFloat32.tensorOf(Shape.of(batch, data.dOut()), DataBuffers.of(data.y(), true, false));
        }
    }

    /**
     * AdamOptimizer(lr) with TF1's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8): an ApplyAdam per variable after every
     * gradient, then the powers of the betas advanced after every ApplyAdam.
     */
    private void adam(Ops tf, Ops after, List<Variable<TFloat32>> vars, Gradients grads, float lr) {
        Operand<TFloat32> beta1 = tf.constant(0.9f);
        Operand<TFloat32> beta2 = tf.constant(0.999f);
        Variable<TFloat32> beta1Power = tf.withName("beta1_power").variable(tf.constant(0.9f));
        Variable<TFloat32> beta2Power = tf.withName("beta2_power").variable(tf.constant(0.999f));
        List<Op> applies = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> m = tf.variable(tf.zeros(dims(tf, vars.get(i)), TFloat32.class));
            Variable<TFloat32> v = tf.variable(tf.zeros(dims(tf, vars.get(i)), TFloat32.class));
            applies.add(after.train.applyAdam(vars.get(i), m, v, beta1Power, beta2Power, tf.constant(lr), beta1, beta2,
                    tf.constant(1e-8f), grads.<TFloat32>dy(i)));
        }
        targets.addAll(applies);
        Ops finish = tf.withControlDependencies(applies);
        targets.add(finish.assign(beta1Power, finish.math.mul(beta1Power, beta1)));
        targets.add(finish.assign(beta2Power, finish.math.mul(beta2Power, beta2)));
    }

    private static Operand<TFloat32> constant(Ops tf, dev.kiln.ir.Tensor t) {
        long[] dims = java.util.Arrays.stream(t.shape().dims()).asLongStream().toArray();
        return tf.constant(Shape.of(dims), DataBuffers.of(t.data(), true, true));
    }

    private static Operand<TInt64> dims(Ops tf, Variable<TFloat32> v) {
        return tf.constant(v.shape().asArray());
    }

    /** One training step: the loss, fetched in the run that performs every apply (and Adam's beta powers). */
    public float step() {
        org.tensorflow.Session.Runner r = session.runner().feed(x, xFeed).feed(y, yFeed).fetch(loss);
        for (Op t : targets) {
            r.addTarget(t);
        }
        try (Result res = r.run()) {
            return ((TFloat32) res.get(0)).getFloat();
        }
    }

    /** Sets every variable, slots and beta powers included, back to its initial value. */
    public void reset() {
        session.forceInitialize();
    }

    /**
     * Checks that TensorFlow's optimizer computes what Kiln's does: the first {@code steps} losses against
     * Kiln's interpreter on the same data from the same weights, within 1e-4 relative (from the second
     * step on, each loss depends on the previous update, so this compares the updates too). Then resets
     * the variables. Returns a line per step; throws if any disagrees.
     */
    public List<String> verify(int steps) {
        Session s = Models.interpreterStep(name, data.batch());
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (int t = 0; t < steps; t++) {
            float expected = s.run(data.feeds(true)).get(0).item();
            float got = step();
            double rel = Math.abs((double) got - expected) / Math.abs(expected);
            boolean agree = rel <= 1e-4;
            ok &= agree;
            lines.add(String.format(java.util.Locale.ROOT, "%s step %d: TensorFlow %s, Kiln interpreter %s, relative difference %.1e%s",
                    name, t, got, expected, rel, agree ? "" : "  DISAGREE"));
        }
        reset();
        if (!ok) {
            throw new IllegalStateException("TensorFlow's " + name + " graph disagrees:\n" + String.join("\n", lines));
        }
        return lines;
    }

    @Override
    public void close() {
        xFeed.close();
        yFeed.close();
        session.close();
        graph.close();
    }

    /**
     * Whether Kiln's compiled step (every variant this JVM can run) gives the interpreter's first
     * {@code steps} losses within 1e-4 relative: what the Kiln side of the benchmark measures. Prints a line
     * per variant.
     */
    static boolean compiledAgrees(String graph, int steps) {
        Models.Data d = Models.data(graph, 64);
        float[] expected = new float[steps];
        Session s = Models.interpreterStep(graph, 64);
        for (int t = 0; t < steps; t++) {
            expected[t] = s.run(d.feeds(true)).get(0).item();
        }
        boolean ok = true;
        for (String variant : Variants.ALL) {
            if (!Variants.available(variant)) {
                continue;
            }
            Models.TrainStep step = Models.compiledStep(graph, 64, variant);
            double worst = 0;
            for (int t = 0; t < steps; t++) {
                worst = Math.max(worst, Math.abs((double) step.run(d.x(), d.y()) - expected[t]) / Math.abs(expected[t]));
            }
            ok &= worst <= 1e-4;
            System.out.println(String.format(java.util.Locale.ROOT, "%s: Kiln compiled (%s) vs interpreter, %d steps:"
                    + " largest relative difference %.1e%s", graph, variant, steps, worst, worst <= 1e-4 ? "" : "  DISAGREE"));
        }
        return ok;
    }

    /**
     * Prints the check of every graph (10 steps, one-thread session): Adam on the canonical graph and on
     * the digits MLP, and ApplyMomentum (without and with Nesterov) and ApplyRMSProp on the canonical
     * graph; then Kiln's compiled steps of the first two against its interpreter. Exits with status 1 if
     * any disagrees.
     */
    public static void main(String[] args) {
        List<String> graphs = new ArrayList<>(Models.OPTIMIZER_GRAPHS);
        graphs.addAll(List.of("two_layer_momentum", "two_layer_nesterov", "two_layer_rmsprop"));
        boolean ok = true;
        for (String g : graphs) {
            try (TfOptimizerModel m = new TfOptimizerModel(g, 64, "1")) {
                m.verify(10).forEach(System.out::println);
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                ok = false;
            }
        }
        for (String g : Models.OPTIMIZER_GRAPHS) {
            ok &= compiledAgrees(g, 10);
        }
        System.out.println(ok ? "every graph agrees" : "DISAGREEMENT");
        if (!ok) {
            System.exit(1);
        }
    }
}
