package dev.kiln.api;

import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a user's interface, such as {@code interface TrainStep { float run(float[] x, float[] y); }}, to a
 * graph: its one abstract method's parameters to placeholders (by name when the interface was compiled
 * with {@code -parameters}, otherwise by position when the counts agree) and its result to the first fetch.
 */
final class InterfaceBinding {
    private InterfaceBinding() {}

    /** The interface's single abstract method, checked: float[] parameters, returning float, float[] or void. */
    static Method method(Class<?> iface) {
        if (!iface.isInterface()) {
            throw new KilnException(iface.getName() + " is not an interface");
        }
        List<Method> abstracts = new ArrayList<>();
        for (Method m : iface.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                abstracts.add(m);
            }
        }
        if (abstracts.size() != 1) {
            throw new KilnException(iface.getName() + " must have exactly one abstract method, it has " + abstracts.size());
        }
        Method m = abstracts.get(0);
        for (Parameter p : m.getParameters()) {
            if (p.getType() != float[].class) {
                throw new KilnException(where(m) + ": parameter '" + p.getName() + "' is a " + p.getType().getSimpleName()
                        + "; every parameter must be a float[] (one placeholder each)");
            }
        }
        Class<?> r = m.getReturnType();
        if (r != float.class && r != float[].class && r != void.class) {
            throw new KilnException(where(m) + " returns " + r.getSimpleName() + "; it must return float, float[] or void");
        }
        return m;
    }

    /**
     * For each parameter, the placeholder of {@code graph} it supplies: by name, or by position among all
     * placeholders, or by position among those the run ({@code roots}) reads, whichever count matches.
     */
    static List<Node> placeholders(Method m, Graph graph, List<Node> roots) {
        Parameter[] params = m.getParameters();
        List<Node> all = graph.placeholders();
        List<Node> out = new ArrayList<>();
        boolean named = params.length > 0 && params[0].isNamePresent();
        if (named) {
            for (Parameter p : params) {
                Node n = graph.node(p.getName());
                if (n == null || !n.op().name().equals("placeholder")) {
                    throw new KilnException(where(m) + ": parameter '" + p.getName() + "' matches no placeholder (placeholders: "
                            + names(all) + ")");
                }
                out.add(n);
            }
            return out;
        }
        if (params.length == all.size()) {
            return all;
        }
        java.util.BitSet read = dev.kiln.ir.Reachability.ancestors(roots);
        List<Node> used = all.stream().filter(p -> read.get(p.id())).toList();
        if (params.length == used.size()) {
            return used;
        }
        throw new KilnException(where(m) + " has " + params.length + " parameter(s), the graph " + all.size()
                + " placeholder(s) (" + names(all) + ") of which the run reads " + used.size()
                + ", so they cannot be bound by position; compile the interface with -parameters to bind them by name");
    }

    /** {@code feedOfParam}: for each parameter, the index of its placeholder among the plan's feeds (-1: unused). */
    static int[] feedOfParam(Method m, List<Node> paramPlaceholders, List<Node> planFeeds) {
        int[] map = new int[paramPlaceholders.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = indexByName(planFeeds, paramPlaceholders.get(i).name());
        }
        for (int f = 0; f < planFeeds.size(); f++) {
            boolean bound = false;
            for (int v : map) {
                bound |= v == f;
            }
            if (!bound) {
                throw new KilnException("the run needs placeholder '" + planFeeds.get(f).name() + "' but no parameter of "
                        + where(m) + " supplies it");
            }
        }
        return map;
    }

    private static int indexByName(List<Node> nodes, String name) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static String where(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }

    private static String names(List<Node> nodes) {
        return nodes.isEmpty() ? "none" : String.join(", ", nodes.stream().map(Node::name).toList());
    }
}
