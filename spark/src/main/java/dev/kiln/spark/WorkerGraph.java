package dev.kiln.spark;

import dev.kiln.grad.Gradients;
import dev.kiln.ir.Graph;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Reachability;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph a partition runs: the model with the gradient of its loss for each trained variable added and
 * named {@code NAME/gradient}, to be fetched with the loss and no target (a gradients-only run; the
 * model's own assignments are left out by dead-code elimination). The trained variables are those the loss
 * depends on, in the graph's order.
 */
record WorkerGraph(Graph graph, Node loss, List<String> variables) {
    static String gradientName(String variable) {
        return variable + "/gradient";
    }

    static WorkerGraph of(Graph model, String lossName) {
        Node loss = model.node(lossName);
        if (loss == null) {
            throw new KilnException("the loss '" + lossName + "' is not a node of " + model.sourceFile() + " (names: "
                    + String.join(", ", model.names().keySet()) + ")");
        }
        if (loss.shape().isKnown() && loss.shape().size() != 1) {
            throw new KilnException("the loss '" + lossName + "' has shape " + loss.shape() + "; it must have one element");
        }
        GraphBuilder b = new GraphBuilder(model.sourceFile());
        Map<Node, Node> copy = new IdentityHashMap<>();
        for (Node n : model.nodes()) {
            List<Node> ins = new ArrayList<>(n.inputs().size());
            for (Node in : n.inputs()) {
                ins.add(copy.get(in));
            }
            copy.put(n, b.add(n.op(), n.name(), n.pos(), ins));
        }
        model.names().forEach((name, node) -> b.bindName(name, copy.get(node)));
        model.initializers().forEach((v, init) -> b.setInitializer(copy.get(v), copy.get(init)));
        BitSet needed = Reachability.ancestors(loss);
        List<Node> vars = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Node v : model.variables()) {
            if (needed.get(v.id())) {
                vars.add(copy.get(v));
                names.add(v.name());
            }
        }
        if (vars.isEmpty()) {
            throw new KilnException("the loss '" + lossName + "' depends on no variable: there is nothing to train");
        }
        List<Node> grads = Gradients.of(b, copy.get(loss), vars);
        for (int i = 0; i < vars.size(); i++) {
            b.bindName(gradientName(names.get(i)), grads.get(i));
        }
        return new WorkerGraph(b.build(), copy.get(loss), List.copyOf(names));
    }

    /** The loss's reduction over the rows, read from its op: a mean or a sum over every axis, else null. */
    Training.Reduction reduction() {
        if (loss.op() instanceof dev.kiln.ops.AxisReduction r && !(loss.op() instanceof dev.kiln.ops.ReduceMax)
                && r.axes().length == loss.input(0).shape().rank()) {
            return r.mean() ? Training.Reduction.MEAN : Training.Reduction.SUM;
        }
        return null;
    }
}
