package dev.kiln.codegen;

/**
 * How matrix products are generated: scalar code C2 compiles as it sees fit, or code using the Vector
 * API ({@code jdk.incubator.vector}) with the species fixed when the class is generated. The vector
 * backend needs the module in the running JVM ({@code --add-modules jdk.incubator.vector}) and a JDK
 * whose C2 compiles it well: on JDK 17 the same code ran about 20 times slower than on 25, slower than
 * scalar code, so {@link #choose} takes it only from JDK {@value #MIN_VECTOR_FEATURE} on.
 */
public enum Backend {
    SCALAR,
    VECTOR;

    /** The oldest JDK feature release on which {@code auto} selection picks the vector backend. */
    public static final int MIN_VECTOR_FEATURE = 21;

    private static final int LANES = probeLanes();

    /** True when the running JVM has the Vector API module resolved. */
    public static boolean vectorAvailable() {
        return LANES > 0;
    }

    /** Floats per vector of the preferred species on this machine, or 0 without the Vector API. */
    public static int lanes() {
        return LANES;
    }

    /** The backend for a name ({@code auto}, {@code scalar}, {@code vector}); vector must be available. */
    public static Backend choose(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "scalar":
                return SCALAR;
            case "vector":
                if (!vectorAvailable()) {
                    throw new dev.kiln.ir.KilnException("the vector backend needs the jdk.incubator.vector module:"
                            + " run java with --add-modules jdk.incubator.vector");
                }
                return VECTOR;
            case "auto":
                return vectorAvailable() && Runtime.version().feature() >= MIN_VECTOR_FEATURE ? VECTOR : SCALAR;
            default:
                throw new dev.kiln.ir.KilnException("unknown backend '" + name + "' (expected auto, scalar or vector)");
        }
    }

    private static int probeLanes() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return 0;
        }
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            int lanes = (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length").invoke(species);
            return lanes >= 4 ? lanes : 0;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
