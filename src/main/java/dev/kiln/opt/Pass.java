package dev.kiln.opt;

/** A named function from program to program. Returns its argument itself when it has nothing to do. */
public interface Pass {
    /** Short stable name, used to switch the pass off and to name its dumps. */
    String name();

    Program run(Program p);

    /**
     * True for a pass that merges several ops into one kernel, or writes variables in place before a run
     * ends. Numerics checks switch these off, so that a NaN is blamed on the one op that made it and a run
     * that fails the check has changed no variable; fused and unfused kernels compute the same values.
     */
    default boolean fuses() {
        return false;
    }
}
