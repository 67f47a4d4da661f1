package dev.kiln.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.Assign;
import dev.kiln.ops.BroadcastLike;
import dev.kiln.ops.Constant;
import dev.kiln.ops.Elementwise;
import dev.kiln.ops.Fill;
import dev.kiln.ops.Placeholder;
import dev.kiln.ops.RandomNormal;
import dev.kiln.ops.Reshape;
import dev.kiln.ops.ReshapeLike;
import dev.kiln.ops.SgdUpdate;
import dev.kiln.ops.SumLike;
import dev.kiln.ops.Variable;
import dev.kiln.opt.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an optimized program into a {@link Plan}. The order is the graph's, except that folded updates
 * (which write their variable in place) come after every other kernel, and assignments are copies at
 * the very end: so every read in a run sees the variables' values from before it. Scratch buffers are
 * given out greedily in that order and taken back after their last reader.
 */
public final class Planner {
    private final Program program;
    private final Graph graph;
    private final List<Buffer> fields = new ArrayList<>();
    private final Map<Node, Buffer> bufferOf = new IdentityHashMap<>();
    private final Map<Node, Buffer> constants = new IdentityHashMap<>();
    private final Set<String> names = new HashSet<>();

    private final long seed;

    private Planner(Program program, long seed) {
        this.program = program;
        this.seed = seed;
        this.graph = program.graph();
    }

    /**
     * Plans {@code p}, whose placeholders the run takes in the order of {@code feedOrder}; random values
     * the run reads are drawn from {@code seed}, as the interpreter draws them.
     */
    public static Plan plan(Program p, List<Node> feedOrder, long seed) throws PlanConflict {
        return new Planner(p, seed).plan(feedOrder);
    }

    private Plan plan(List<Node> feedOrder) throws PlanConflict {
        List<Step> start = new ArrayList<>();
        List<Node> kernels = new ArrayList<>();
        List<Node> updates = new ArrayList<>();
        List<Node> assigns = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Placeholder) {
                bufferOf.put(n, new Buffer(feedOrder.indexOf(n), n.name(), n.shape().size(), Buffer.Kind.FEED, null, null));
            } else if (n.op() instanceof Variable) {
                bufferOf.put(n, field(n.name(), n.shape().size(), Buffer.Kind.VARIABLE, n.name(), null));
            } else if (isAlias(n)) {
                continue; // its input's array, which a kernel may only get later: see arrayOf
            } else if (n.op() instanceof Fill || n.op() instanceof Constant || n.op() instanceof RandomNormal) {
                continue; // a buffer only if a kernel reads it as an array; see input()
            } else if (n.op() instanceof SgdUpdate) {
                updates.add(n);
            } else if (n.op() instanceof Assign) {
                assigns.add(n);
            } else {
                kernels.add(n);
            }
        }
        List<Node> order = new ArrayList<>(kernels);
        order.addAll(orderUpdates(updates));
        Map<Node, Integer> lastUse = lastUses(order, assigns);
        List<Step> steps = new ArrayList<>();
        List<Buffer> free = new ArrayList<>();
        // in insertion order: a Buffer hashes its Kind, an enum hashed by identity, so a HashMap made the
        // choice among equally good free buffers depend on whatever else the JVM had done
        Map<Buffer, Integer> freeAfter = new LinkedHashMap<>();
        for (int s = 0; s < order.size(); s++) {
            final int now = s;
            freeAfter.entrySet().removeIf(e -> {
                if (e.getValue() < now) {
                    free.add(e.getKey());
                    return true;
                }
                return false;
            });
            Node n = order.get(s);
            List<Buffer> ins = new ArrayList<>();
            for (int k = 0; k < n.inputs().size(); k++) {
                ins.add(input(n, k));
            }
            Buffer out;
            if (n.op() instanceof SgdUpdate) {
                out = bufferOf.get(n.input(0));
            } else {
                out = take(free, n);
                freeAfter.put(out, Math.max(freeAfter.getOrDefault(out, -1), lastUse.getOrDefault(n, s)));
            }
            bufferOf.put(n, out);
            steps.add(new Step.Kernel(n, ins, out, methodName(n)));
        }
        List<Step> end = new ArrayList<>();
        for (Node a : assigns) {
            Node value = a.input(1);
            Buffer from = arrayOf(value);
            if (from.kind() != Buffer.Kind.SCRATCH) { // a variable, feed or constant: save it before anything changes
                Buffer saved = field("saved_" + graph.nameOf(a.input(0)), from.size(), Buffer.Kind.SCRATCH, null, null);
                start.add(new Step.Copy(from, saved, value));
                from = saved;
            }
            bufferOf.put(a, from);
            end.add(new Step.Copy(from, bufferOf.get(a.input(0)), a));
        }
        List<Buffer> fetches = new ArrayList<>();
        for (Node f : program.fetches()) {
            Buffer b = arrayOf(f);
            if (b.kind() != Buffer.Kind.SCRATCH) {
                Buffer copy = field("fetch_" + safe(graph.nameOf(f) != null ? graph.nameOf(f) : "t" + f.id()), b.size(),
                        Buffer.Kind.SCRATCH, null, null);
                start.add(new Step.Copy(b, copy, f));
                b = copy;
            }
            fetches.add(b);
        }
        List<Step> all = new ArrayList<>(start);
        all.addAll(steps);
        all.addAll(end);
        List<Node> feeds = List.copyOf(feedOrder);
        return new Plan(program, feeds, List.copyOf(fields), all, fetches);
    }

    /** The buffer holding {@code n}'s value, making a constant's buffer on first use. */
    private Buffer arrayOf(Node n) {
        Buffer b = bufferOf.get(n);
        if (b != null) {
            return b;
        }
        if (n.op() instanceof Fill || n.op() instanceof Constant || n.op() instanceof RandomNormal) {
            return constants.computeIfAbsent(n, k -> {
                Tensor v = k.op() instanceof RandomNormal r ? r.sample(seed) : k.op().eval(List.of());
                return field(k.op().name() + k.id(), v.size(), Buffer.Kind.CONSTANT, null, v);
            });
        }
        if (isAlias(n)) {
            return arrayOf(n.input(0));
        }
        throw new IllegalStateException("no buffer for " + n);
    }

    /** The buffer kernel {@code n} reads as input k, or null when the kernel does not read it as an array. */
    private Buffer input(Node n, int k) {
        Node in = n.input(k);
        if (k == 1 && (n.op() instanceof BroadcastLike || n.op() instanceof SumLike)) {
            return null; // only its shape matters
        }
        if (in.op() instanceof Fill && in.shape().rank() == 0 && n.op() instanceof Elementwise) {
            return null; // the kernel inlines the value
        }
        return arrayOf(in);
    }

    private Buffer take(List<Buffer> free, Node n) {
        int size = n.shape().size();
        Buffer best = null;
        for (Buffer b : free) {
            if (b.size() >= size && (best == null || b.size() < best.size())) {
                best = b;
            }
        }
        if (best != null) {
            free.remove(best);
            return best;
        }
        String name = graph.nameOf(n);
        return field(safe(name != null ? name : n.op().name() + n.id()), size, Buffer.Kind.SCRATCH, null, null);
    }

    /** Folded updates, ordered so that one reading another's variable runs first; a cycle is a conflict. */
    private List<Node> orderUpdates(List<Node> updates) throws PlanConflict {
        List<Node> pending = new ArrayList<>(updates);
        List<Node> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            Node ready = null;
            for (Node u : pending) {
                boolean blocked = false;
                for (Node other : pending) {
                    if (other != u && readsVariable(other, u.input(0))) {
                        blocked = true; // other reads u's variable, so must run before u
                    }
                }
                if (!blocked) {
                    ready = u;
                    break;
                }
            }
            if (ready == null) {
                throw new PlanConflict("folded updates read each other's variables: " + pending);
            }
            pending.remove(ready);
            out.add(ready);
        }
        return out;
    }

    private static boolean readsVariable(Node update, Node variable) {
        for (int k = 1; k < update.inputs().size(); k++) {
            Node in = update.input(k);
            while (isAlias(in)) {
                in = in.input(0);
            }
            if (in == variable) {
                return true;
            }
        }
        return false;
    }

    /** For each kernel's node, the last step reading it (through reshapes); fetched and assigned values live to the end. */
    private Map<Node, Integer> lastUses(List<Node> order, List<Node> assigns) {
        Map<Node, Integer> last = new IdentityHashMap<>();
        int end = Integer.MAX_VALUE;
        for (int s = 0; s < order.size(); s++) {
            for (Node in : order.get(s).inputs()) {
                last.merge(root(in), s, Math::max);
            }
        }
        for (Node f : program.fetches()) {
            last.put(root(f), end);
        }
        for (Node a : assigns) {
            last.put(root(a.input(1)), end);
            last.put(root(a), end);
        }
        return last;
    }

    private static Node root(Node n) {
        while (isAlias(n) || n.op() instanceof Assign) {
            n = n.op() instanceof Assign ? n.input(1) : n.input(0);
        }
        return n;
    }

    /** Reshapes: the same elements in the same order, so the same array as their input. */
    public static boolean isAlias(Node n) {
        return n.op() instanceof Reshape || n.op() instanceof ReshapeLike;
    }

    private Buffer field(String name, int size, Buffer.Kind kind, String variable, Tensor constant) {
        String unique = unique(safe(name));
        Buffer b = new Buffer(fields.size(), unique, size, kind, variable, constant);
        fields.add(b);
        return b;
    }

    private String methodName(Node n) {
        String name = graph.nameOf(n);
        return unique(safe(n.op().name() + "_" + (name != null ? name : Integer.toString(n.id()))));
    }

    private String unique(String name) {
        String u = name;
        for (int i = 2; !names.add(u); i++) {
            u = name + "_" + i;
        }
        return u;
    }

    /**
     * A Java identifier made from a graph name (or any text): other characters, and {@code $}, which the
     * generator keeps for its own names, become {@code _}.
     */
    public static String safe(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            b.append(Character.isJavaIdentifierPart(c) && c != '$' ? c : '_'); // '$' is kept for the generator's own names
        }
        if (b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0))) {
            b.insert(0, '_');
        }
        return b.toString();
    }
}
