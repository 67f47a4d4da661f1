package dev.kiln.ops;

import java.util.List;

/**
 * What the back end runs for one node, in a form free of bytecode: the op's lowering
 * ({@link KilnOp#kernel}). A backend turns a loop nest or a product into code; it never asks which op it
 * has.
 */
public sealed interface Kernel {
    /** No kernel: the op's {@link dev.kiln.ir.Op.Storage storage} says where its value comes from. */
    record None() implements Kernel {}

    /**
     * A loop nest over {@code dims} (row-major): at each index, {@code expr} of the inputs read as arrays
     * (argument i at {@code index · argStrides[i]}) is written to {@code index · outStrides}. Where an output
     * stride is 0 the loop combines over that dimension instead (a reduction: {@code combine} says how),
     * and a {@code divisor} above 0 divides each result (a mean). {@code outSize} floats are written.
     */
    record Loop(int[] dims, int[] outStrides, int[][] argStrides, ScalarExpr expr, float divisor, int outSize,
            Combine combine) implements Kernel {
        /** A loop that sums where it reduces. */
        public Loop(int[] dims, int[] outStrides, int[][] argStrides, ScalarExpr expr, float divisor, int outSize) {
            this(dims, outStrides, argStrides, expr, divisor, outSize, Combine.SUM);
        }
    }

    /**
     * An in-place update of {@code states} variables of {@code size} elements each, inputs 0 to states-1: at
     * each element, {@code values.get(j)} is the new value of variable j, over argument i &lt; inputs (input
     * i's element, or its only element where {@code scalar[i]}) and argument {@code inputs + j} (the new
     * value of variable j, computed before it). Every new value of an element is computed before any is stored.
     */
    record Updates(int size, int states, int inputs, List<ScalarExpr> values, boolean[] scalar)
            implements Kernel {}

    /** How a reduction combines the values along its axes. */
    enum Combine {
        /** Their sum, from 0. */
        SUM,
        /** Their maximum as {@code Math.max} takes it (NaN wins), from minus infinity. */
        MAX
    }

    /**
     * The product of inputs {@code a} and {@code b} (each transposed or not), each of its elements
     * finished as {@code finish} says. For {@link Finish#EPILOGUE}, {@code epilogue} gets the sum as argument 0
     * and the inputs after b, read at {@code extraStrides[i]} along the result's rows and columns, as the
     * arguments after it; for {@link Finish#UPDATE}, input 0 is the variable written in place; for
     * {@link Finish#UPDATES}, {@code updates} is the step each element finishes, its operands the inputs
     * before a (the variables first) and its last argument the product's element.
     */
    record Product(int a, int b, boolean transposeA, boolean transposeB, Finish finish, ScalarExpr epilogue,
            int[][] extraStrides, float rate, Updates updates) implements Kernel {
        /** A product finished without an optimizer's step. */
        public Product(int a, int b, boolean transposeA, boolean transposeB, Finish finish, ScalarExpr epilogue,
                int[][] extraStrides, float rate) {
            this(a, b, transposeA, transposeB, finish, epilogue, extraStrides, rate, null);
        }
    }

    /** How each summed element of a product is used. */
    enum Finish {
        /** Stored. */
        STORE,
        /** Passed through the epilogue, then stored. */
        EPILOGUE,
        /** {@code rate} times it subtracted from the variable's element. */
        UPDATE,
        /** The gradient of an optimizer's in-place step ({@link Updates}) of the variables at its position. */
        UPDATES
    }
}
