package dev.kiln.codegen;

/**
 * How matrix products are generated: scalar code C2 compiles as it sees fit, or code using the Vector
 * API ({@code jdk.incubator.vector}) with the species fixed when the class is generated. The vector
 * backend needs the module in the running JVM ({@code --add-modules jdk.incubator.vector}); {@code auto}
 * takes it whenever the module is there, JDK 17 included. (Generated Vector API matrix products once ran
 * about 20 times slower on JDK 17 than on 25; the products now call the fixed kernels of
 * {@link dev.kiln.runtime.VectorKernels}, which JDK 17's C2 compiles as well as 25's: the canonical step
 * measured 635 µs against the scalar backend's 6.3 ms on JDK 17.)
 */
public enum Backend {
    SCALAR,
    VECTOR;

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
                return vectorAvailable() ? VECTOR : SCALAR;
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
