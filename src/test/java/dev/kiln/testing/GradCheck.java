package dev.kiln.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Gradient checks of one expression: {@code loss = reduce_sum(f(v1, v2, ...) * c)} where the vs are
 * variables with the given values and c is a fixed random tensor of f's shape (so that every output
 * element gets a different weight), checked against finite differences.
 */
public final class GradCheck {
    private GradCheck() {}

    /** An expression of two nodes. */
    @FunctionalInterface
    public interface Binary {
        Node apply(Tf tf, Node x, Node y);
    }

    /**
     * Builds f over variables named and valued as in {@code values} (in order), differentiates the weighted
     * sum with respect to all of them, checks each gradient's shape against its variable's and the values
     * against finite differences. Returns the gradient values at the given point.
     */
    public static List<Tensor> weighted(long seed, Map<String, Tensor> values, BiFunction<Tf, List<Node>, Node> f) {
        return weighted(seed, values, f, 1e-2);
    }

    public static List<Tensor> weighted(long seed, Map<String, Tensor> values, BiFunction<Tf, List<Node>, Node> f,
            double tolerance) {
        Tf tf = new Tf();
        List<Node> vars = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            vars.add(tf.variable(e.getKey(), e.getValue()));
        }
        Node out = f.apply(tf, vars);
        Tensor c = Tensors.uniform(seed, -1.5f, 1.5f, out.shape().dims());
        Node loss = tf.name("loss", tf.reduceSum(tf.mul(out, tf.constant(c))));
        List<Node> grads = tf.gradients(loss, vars);
        for (int i = 0; i < vars.size(); i++) {
            assertEquals(vars.get(i).shape(), grads.get(i).shape(),
                    "static shape of the gradient w.r.t. '" + vars.get(i).name() + "'");
        }
        Graph g = tf.build();
        FiniteDifferences fd = FiniteDifferences.of(g, "loss").variables(values).tolerance(tolerance);
        for (int i = 0; i < vars.size(); i++) {
            fd.wrt(vars.get(i).name(), grads.get(i));
        }
        fd.verify();
        return Eval.evalAll(tf, Map.of(), grads.toArray(new Node[0]));
    }

    /** Shorthand for one variable named x. */
    public static Tensor unary(long seed, Tensor x, BiFunction<Tf, Node, Node> f) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("x", x);
        return weighted(seed, m, (tf, v) -> f.apply(tf, v.get(0))).get(0);
    }

    /** Shorthand for two variables named x and y. */
    public static List<Tensor> binary(long seed, Tensor x, Tensor y, Binary f) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return weighted(seed, m, (tf, v) -> f.apply(tf, v.get(0), v.get(1)));
    }
}
