package dev.kiln.opt;

/** A named function from program to program. Returns its argument itself when it has nothing to do. */
public interface Pass {
    /** Short stable name, used to switch the pass off and to name its dumps. */
    String name();

    Program run(Program p);
}
