package dev.kiln.spark;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.dsl.Optimizer;
import dev.kiln.dsl.Tf;
import dev.kiln.dsl.Train;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The driver's half of a step: a small compiled graph holding the trained variables, one placeholder per
 * variable for its combined gradient ({@code NAME/gradient}), and the optimizer's update of them: the
 * assignments {@link Optimizer#applyGradients} builds, the same fused update the single-machine engine
 * compiles when the model calls {@code minimize}. Its slots and counters ({@code w1/Adam},
 * {@code beta1_power}) are variables named as TensorFlow names them, so the result saves as
 * {@code kiln train --save} does.
 */
final class DriverUpdate {
    private final Session session;
    private final List<String> variables;
    private final List<Node> gradients = new ArrayList<>();

    /** An update of {@code variables} (names and their values), by the optimizer {@code optimizer} makes. */
    DriverUpdate(String source, Map<String, Tensor> variables, Function<Train, Optimizer> optimizer) {
        Tf tf = new Tf(source);
        List<Optimizer.GradientAndVariable> pairs = new ArrayList<>();
        for (Map.Entry<String, Tensor> v : variables.entrySet()) {
            Node w = tf.variable(v.getKey(), Tensor.zeros(v.getValue().shape()));
            Node g = tf.placeholder(WorkerGraph.gradientName(v.getKey()), v.getValue().shape());
            pairs.add(new Optimizer.GradientAndVariable(g, w));
            gradients.add(g);
        }
        Optimizer o = optimizer.apply(tf.train());
        if (o == null) {
            throw new KilnException("the optimizer function returned null");
        }
        o.applyGradients(pairs);
        Graph graph = tf.build();
        this.variables = List.copyOf(variables.keySet());
        this.session = Kiln.session(graph, List.of(), graph.sideEffects(), Engine.COMPILED, new Options());
        variables.forEach(session::setVariable);
    }

    /** Applies one combined gradient per variable (in the constructor's order). */
    void apply(float[][] combined) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < gradients.size(); i++) {
            feeds.put(gradients.get(i).name(), new Tensor(gradients.get(i).shape(), combined[i]));
        }
        session.run(feeds);
    }

    /** The trained variables' current values, in the constructor's order. */
    float[][] weights() {
        float[][] w = new float[variables.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = session.variable(variables.get(i)).data();
        }
        return w;
    }

    /** Every variable of the update (the trained ones, then the optimizer's slots and counters) and its value. */
    Map<String, Tensor> all() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String name : session.variableNames()) {
            all.put(name, session.variable(name));
        }
        return all;
    }
}
