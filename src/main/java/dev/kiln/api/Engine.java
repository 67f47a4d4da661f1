package dev.kiln.api;

/** Which engine runs a graph. */
public enum Engine {
    /** The reference interpreter: runs the graph op by op; defines what every graph means. */
    INTERPRETER,
    /** A JVM class generated for the graph: the fast engine. */
    COMPILED;

    /** The engine named {@code name} on the command line, case-insensitively. */
    public static Engine parse(String name) {
        for (Engine e : values()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new dev.kiln.ir.KilnException("unknown engine '" + name + "' (expected one of: compiled, interpreter)");
    }
}
