package dev.kiln.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import dev.kiln.opt.UpdateOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
        List<Node> kernels = new ArrayList<>();
        List<Node> updates = new ArrayList<>();
        List<Node> assigns = new ArrayList<>();
        classify(feedOrder, kernels, updates, assigns);
        List<Node> order = new ArrayList<>(kernels);
        List<Node> ordered = UpdateOrder.of(updates);
        if (ordered == null) { // fold-sgd-updates does not fold such updates: see UpdateOrder
            throw new PlanConflict("folded updates read each other's variables: " + updates);
        }
        order.addAll(ordered);
        List<Step> steps = kernelSteps(order, assigns);
        List<Step> start = new ArrayList<>();
        List<Step> end = assignCopies(assigns, start);
        List<Buffer> fetches = fetchBuffers(start);
        List<Step> all = new ArrayList<>(start);
        all.addAll(steps);
        all.addAll(end);
        return new Plan(program, List.copyOf(feedOrder), List.copyOf(fields), all, fetches);
    }

    /**
     * Gives feeds and variables their buffers, and sorts the nodes that run into kernels, folded updates
     * and assignments, by their ops' storage.
     */
    private void classify(List<Node> feedOrder, List<Node> kernels, List<Node> updates, List<Node> assigns) {
        Map<Node, Integer> feedIndex = new IdentityHashMap<>();
        for (int i = 0; i < feedOrder.size(); i++) {
            feedIndex.putIfAbsent(feedOrder.get(i), i);
        }
        for (Node n : graph.nodes()) {
            switch (n.op().storage()) {
                case FEED -> bufferOf.put(n, new Buffer(feedIndex.getOrDefault(n, -1), n.name(), n.shape().size(),
                        Buffer.Kind.FEED, null, null));
                case STATE -> bufferOf.put(n, field(n.name(), n.shape().size(), Buffer.Kind.VARIABLE, n.name(), null));
                case ALIAS -> { } // its input's array, which a kernel may only get later: see arrayOf
                case CONSTANT -> { } // a buffer only if a kernel reads it as an array; see input()
                case UPDATE -> updates.add(n);
                case ASSIGN -> assigns.add(n);
                case KERNEL -> kernels.add(n);
                case COMPOSITE -> throw new IllegalStateException(n.op().name()
                        + " must be expanded into simpler ops first: do not switch off the pass expand-composites");
            }
        }
    }

    /**
     * One step per kernel, in {@code order}: an update writes its variable; any other kernel gets a scratch
     * buffer, taken from those whose last reader has run, or a new one.
     */
    private List<Step> kernelSteps(List<Node> order, List<Node> assigns) {
        Map<Node, Integer> lastUse = lastUses(order, assigns);
        List<Step> steps = new ArrayList<>();
        FreeBuffers free = new FreeBuffers();
        List<List<Buffer>> releasedAfter = new ArrayList<>(); // [s]: the buffers whose last reader is step s
        for (int s = 0; s < order.size(); s++) {
            releasedAfter.add(new ArrayList<>());
        }
        for (int s = 0; s < order.size(); s++) {
            if (s > 0) {
                releasedAfter.get(s - 1).forEach(free::add);
            }
            Node n = order.get(s);
            List<Buffer> ins = new ArrayList<>();
            for (int k = 0; k < n.inputs().size(); k++) {
                ins.add(input(n, k));
            }
            Buffer out;
            if (n.op().storage() == Op.Storage.UPDATE) {
                out = bufferOf.get(n.input(0));
            } else {
                out = free.take(n.shape().size());
                if (out == null) {
                    String name = graph.nameOf(n);
                    out = field(safe(name != null ? name : n.op().name() + n.id()), n.shape().size(), Buffer.Kind.SCRATCH,
                            null, null);
                }
                int last = Math.max(s, lastUse.getOrDefault(n, s));
                if (last < order.size()) { // else fetched or assigned: it lives to the end
                    releasedAfter.get(last).add(out);
                }
            }
            bufferOf.put(n, out);
            steps.add(new Step.Kernel(n, ins, out, methodName(n)));
        }
        return steps;
    }

    /**
     * The copies that end a run, one per assignment; a value that is a variable, feed or constant is first
     * saved by a copy added to {@code start}, before anything changes.
     */
    private List<Step> assignCopies(List<Node> assigns, List<Step> start) {
        List<Step> end = new ArrayList<>();
        for (Node a : assigns) {
            Node value = a.input(1);
            Buffer from = arrayOf(value);
            if (from.kind() != Buffer.Kind.SCRATCH) {
                Buffer saved = field("saved_" + graph.nameOf(a.input(0)), from.size(), Buffer.Kind.SCRATCH, null, null);
                start.add(new Step.Copy(from, saved, value));
                from = saved;
            }
            bufferOf.put(a, from);
            end.add(new Step.Copy(from, bufferOf.get(a.input(0)), a));
        }
        return end;
    }

    /** The buffers the fetches are read from; a fetch that is not scratch is copied at the start, by a copy added to {@code start}. */
    private List<Buffer> fetchBuffers(List<Step> start) {
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
        return fetches;
    }

    /** The buffer holding {@code n}'s value, making a constant's buffer on first use. */
    private Buffer arrayOf(Node n) {
        Buffer b = bufferOf.get(n);
        if (b != null) {
            return b;
        }
        if (n.op().storage() == Op.Storage.CONSTANT) {
            return constants.computeIfAbsent(n, k -> {
                Tensor v = k.op().constantValue(seed);
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
        return n.op().inputUse(n, k) == Op.InputUse.ARRAY ? arrayOf(n.input(k)) : null;
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
        while (isAlias(n) || n.op().storage() == Op.Storage.ASSIGN) {
            n = n.op().storage() == Op.Storage.ASSIGN ? n.input(1) : n.input(0);
        }
        return n;
    }

    /** Reshapes: the same elements in the same order, so the same array as their input. */
    public static boolean isAlias(Node n) {
        return n.op().storage() == Op.Storage.ALIAS;
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
