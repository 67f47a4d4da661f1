package dev.kiln.plan;

import dev.kiln.ir.Tensor;

/**
 * One float array the generated code uses. Feeds arrive as parameters of each run; every other buffer is
 * a field of the generated class, allocated once by the runtime and handed to its constructor.
 *
 * @param index    position among the fields (feeds: position among the parameters)
 * @param name     field name, after the graph's names where there are any
 * @param size     number of floats
 * @param kind     what the array holds
 * @param variable for a variable's buffer, the variable's name; else null
 * @param constant for a constant's buffer, its value; else null
 */
public record Buffer(int index, String name, int size, Kind kind, String variable, Tensor constant) {
    /** What a buffer holds. */
    public enum Kind {
        /** A placeholder's value, passed to each run. */
        FEED,
        /** A variable's state, shared with the runtime, which reads and writes it between runs. */
        VARIABLE,
        /** A constant, filled once at construction and only read. */
        CONSTANT,
        /** Intermediate values, reused by nodes whose lifetimes do not overlap. */
        SCRATCH
    }
}
