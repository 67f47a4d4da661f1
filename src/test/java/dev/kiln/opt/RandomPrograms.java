package dev.kiln.opt;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ops.Broadcast;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Small random training programs, built from a list of leaves (placeholders and variables of small shapes,
 * with 1s to broadcast) and a list of instructions, each applying one op to values already built (chosen
 * by index, modulo). Every list of instructions builds a valid program, so jqwik can shrink them freely.
 * The loss is the sum of the last value; every variable it depends on gets an SGD update, written in one of
 * the forms the optimizer folds (or not).
 */
final class RandomPrograms {
    private RandomPrograms() {}

    /** A placeholder or a variable of shape [], [d0] or [d0, d1]. */
    record Leaf(boolean variable, int rank, int d0, int d1) {
        int[] dims() {
            return rank == 0 ? new int[0] : rank == 1 ? new int[] {d0} : new int[] {d0, d1};
        }
    }

    /** Apply op number {@code op} to values {@code a} and {@code b} (indices modulo the values built), with a parameter. */
    record Instr(int op, int a, int b, int param) {}

    static final int OPS = 26;

    private static final float[] SCALES = {2f, -1f, 0.5f, 1f, -2f, 0f, 3f};
    private static final float[] OFFSETS = {0f, 1f, -0.5f};

    /**
     * The program: fetches the loss and the value {@code fetch} (modulo), targets the updates. The form of
     * the update of variable i is {@code (update + i) % 4}.
     */
    static Program build(List<Leaf> leaves, List<Instr> instrs, int fetch, int update) {
        Tf tf = new Tf("random.kiln");
        List<Node> pool = new ArrayList<>();
        List<Node> variables = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            Leaf l = leaves.get(i);
            Shape s = Shape.of(l.dims());
            if (l.variable() || i == 0) {
                Node v = tf.variable("v" + i, tf.randomNormal(s, 0f, 0.5f, null));
                variables.add(v);
                pool.add(v);
            } else {
                pool.add(tf.placeholder("p" + i, s));
            }
        }
        for (Instr in : instrs) {
            Node a = pool.get(Math.floorMod(in.a(), pool.size()));
            Node b = pool.get(Math.floorMod(in.b(), pool.size()));
            pool.add(apply(tf, in, a, b));
        }
        Node last = pool.get(pool.size() - 1);
        Node loss = tf.reduceSum(last);
        List<Node> xs = dependencies(loss, variables);
        if (xs.isEmpty()) {
            loss = tf.add(loss, tf.reduceSum(tf.mul(variables.get(0), variables.get(0))));
            xs = List.of(variables.get(0));
        }
        tf.name("loss", loss);
        Node extra = tf.name("extra", pool.get(Math.floorMod(fetch, pool.size())));
        List<Node> grads = tf.gradients(loss, xs);
        float lr = 0.05f;
        for (int i = 0; i < xs.size(); i++) {
            Node v = xs.get(i);
            Node g = grads.get(i);
            Node value = switch (Math.floorMod(update + i, 4)) {
                case 0 -> tf.sub(v, tf.mul(lr, g));
                case 1 -> tf.add(v, tf.mul(-lr, g));
                case 2 -> tf.sub(v, tf.mul(g, lr));
                default -> tf.add(tf.mul(tf.constant(-lr / 2), tf.mul(2f, g)), v);
            };
            tf.assign(v, value);
        }
        Graph g = tf.build();
        List<Node> fetches = List.of(g.node("loss"), g.node("extra"));
        return new Program(g, fetches, g.sideEffects());
    }

    private static Node apply(Tf tf, Instr in, Node a, Node b) {
        int p = Math.abs(in.param());
        switch (Math.floorMod(in.op(), OPS)) {
            case 0: return tf.add(a, fit(tf, a, b));
            case 1: return tf.sub(a, fit(tf, a, b));
            case 2: return tf.mul(a, fit(tf, a, b));
            case 3: return tf.div(a, tf.add(tf.square(fit(tf, a, b)), 1f));
            case 4: return tf.maximum(a, fit(tf, a, b));
            case 5: return tf.minimum(a, fit(tf, a, b));
            case 6: return tf.maximum(a, tf.zeros(Shape.of(p % 2 == 0 ? new int[] {1} : a.shape().dims())));
            case 7: return tf.relu(a);
            case 8: return tf.tanh(a);
            case 9: return tf.sigmoid(a);
            case 10: return tf.exp(tf.tanh(a));
            case 11: return tf.log(tf.add(tf.pow(a, 2f), 1f));
            case 12: return tf.neg(a);
            case 13: return tf.pow(a, p % 3 == 0 ? 3f : 2f);
            case 14: return tf.mul(a, SCALES[p % SCALES.length]);
            case 15: return tf.add(OFFSETS[p % OFFSETS.length], a);
            case 16: return matmul(tf, a, b, p);
            case 17: return a.shape().rank() == 2 ? tf.transpose(a) : tf.neg(tf.neg(a));
            case 18: return reduce(tf, a, p, true);
            case 19: return reduce(tf, a, p, false);
            case 20: return reshape(tf, a, p);
            case 21: return tf.sub(a, tf.neg(fit(tf, a, b)));
            case 22: return tf.mul(SCALES[p % SCALES.length], tf.mul(tf.mul(a, 0.5f), SCALES[(p / 7) % SCALES.length]));
            case 23: return tf.square(a);
            case 24: return tf.add(a, tf.mul(-1f, fit(tf, a, b)));
            default: return tf.mul(tf.sub(a, fit(tf, a, b)), tf.sub(a, fit(tf, a, b)));
        }
    }

    /** {@code b}, or its mean when it does not broadcast with {@code a}. */
    private static Node fit(Tf tf, Node a, Node b) {
        try {
            Broadcast.shape(a.shape(), b.shape());
            return b;
        } catch (KilnException e) {
            return tf.reduceMean(b);
        }
    }

    /** A product of a and b (either possibly transposed, explicitly or by flag), else of a with a's transpose. */
    private static Node matmul(Tf tf, Node a, Node b, int p) {
        if (a.shape().rank() != 2) {
            a = tf.reshape(a, -1, 1);
        }
        if (b.shape().rank() != 2) {
            b = tf.reshape(b, 1, -1);
        }
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        int r = b.shape().dim(0);
        int c = b.shape().dim(1);
        boolean explicit = p % 2 == 0;
        if (k == r) {
            return tf.matmul(a, b);
        } else if (k == c) {
            return explicit ? tf.matmul(a, tf.transpose(b)) : tf.matmul(a, b, false, true);
        } else if (m == r) {
            return explicit ? tf.matmul(tf.transpose(a), b) : tf.matmul(a, b, true, false);
        } else if (m == c) {
            return explicit ? tf.matmul(tf.transpose(a), tf.transpose(b)) : tf.matmul(a, b, true, true);
        }
        return explicit ? tf.matmul(a, tf.transpose(a)) : tf.matmul(a, a, true, false);
    }

    private static Node reduce(Tf tf, Node a, int p, boolean sum) {
        int rank = a.shape().rank();
        int[] axes = rank == 0 || p % 3 == 0 ? null : new int[] {(p / 3) % rank};
        boolean keep = p % 2 == 1;
        return sum ? tf.reduceSum(a, axes, keep) : tf.reduceMean(a, axes, keep);
    }

    private static Node reshape(Tf tf, Node a, int p) {
        return switch (p % 3) {
            case 0 -> tf.reshape(a, -1);
            case 1 -> tf.reshape(a, 1, -1);
            default -> tf.reshape(a, -1, 1);
        };
    }

    private static List<Node> dependencies(Node loss, List<Node> variables) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(List.of(loss));
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.get(n.id())) {
                seen.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return variables.stream().filter(v -> seen.get(v.id())).toList();
    }

    /** A description for failure messages: the leaves, the instructions and the listing. */
    static String describe(List<Leaf> leaves, List<Instr> instrs, Program p) {
        return "leaves " + leaves + "\ninstructions " + instrs + "\n" + p;
    }
}
