package dev.kiln.codegen;

/**
 * The public method that runs a step: the user's interface method, e.g. {@code float run(float[] x,
 * float[] y)}, or, without an interface, {@code run} taking every feed in order. Parameter i supplies
 * the feed {@code feedOfParam[i]} (an index among the plan's feeds; -1 for a placeholder the run does
 * not read). The result is the first fetch: its only element for {@code float}, its array for
 * {@code float[]}, nothing for {@code void}.
 *
 * @param iface the interface the class implements, or null
 */
public record EntryPoint(Class<?> iface, String name, Class<?> returnType, int[] feedOfParam) {
    /** The user's interface method. */
    public static EntryPoint of(Class<?> iface, java.lang.reflect.Method m, int[] feedOfParam) {
        return new EntryPoint(iface, m.getName(), m.getReturnType(), feedOfParam);
    }

    /** {@code run} over all {@code feeds} in order, returning the first fetch as a float when it has one element. */
    public static EntryPoint natural(int feeds, int[] fetchSizes) {
        int[] identity = new int[feeds];
        for (int i = 0; i < feeds; i++) {
            identity[i] = i;
        }
        Class<?> r = fetchSizes.length == 0 ? void.class : fetchSizes[0] == 1 ? float.class : float[].class;
        return new EntryPoint(null, "run", r, identity);
    }

    String descriptor() {
        String r = returnType == float.class ? "F" : returnType == float[].class ? "[F" : "V";
        return "(" + "[F".repeat(feedOfParam.length) + ")" + r;
    }
}
