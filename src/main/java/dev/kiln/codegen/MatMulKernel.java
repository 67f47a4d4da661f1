package dev.kiln.codegen;

import dev.kiln.ops.Kernel;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.runtime.WorkerPool;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Matrix-product kernels: their description ({@link Spec}, {@link Cut}) and the choice of generator
 * (the shared kernels, generated vector code, or scalar code), each finishing an element in one of
 * three ways: store it, apply an epilogue ({@code matmul_relu} and friends), or subtract
 * {@code rate} times it from a variable ({@code sgd_update}).
 *
 * <p>Loop orders keep the innermost loads on contiguous memory: when b is not transposed, row i of the
 * result is computed {@value #TILE} columns at a time, the tile's sums held in local variables while
 * {@code a[i,k] * b[k, tile]} is added for each k (sixteen independent chains, no stores in the k loop);
 * when b is transposed, each element is a dot product of two contiguous rows with four independent
 * accumulators. Every element's products are summed over k completely before the element is finished,
 * and an update touches each weight once, so the gradient never exists as a matrix.
 *
 * <p>Parameters of the generated method: a, b, the epilogue's extra operands, and the output (for an
 * update, the variable).
 */
final class MatMulKernel {
    private MatMulKernel() {}


    /**
     * @param extraStrides for each extra operand, its strides along the result's rows and columns
     * @param updates      for {@link Kernel.Finish#UPDATES}, the optimizer's step each element finishes
     *                     (its operands are the extra operands)
     * @param lanes        floats per vector for the vector backend, 0 for scalar code
     * @param cut          what the kernel computes: everything, or what two int parameters after the
     *                     arrays say ({@link Cut})
     * @param pieces       for the cuts into units: how many pieces (of M or of k) ...
     * @param chunks       ... and how many units each piece is cut into
     */
    record Spec(int m, int n, int k, boolean ta, boolean tb, Kernel.Finish finish, ScalarExpr epilogue,
            int[][] extraStrides, float rate, Kernel.Updates updates, int lanes, Cut cut, int pieces, int chunks) {
        int extras() {
            return extraStrides.length;
        }

        /** True when the kernel computes some rows, given by its (from, to) parameters, each finished. */
        boolean rowRange() {
            return cut == Cut.ROWS || cut == Cut.ROW_UNITS;
        }

        /** True when k is summed in {@code pieces} pieces, the sums of each left in the workspace. */
        boolean splitsK() {
            return cut == Cut.K_UNITS;
        }
    }

    /**
     * What a kernel's two int parameters {@code (from, to)} (after the arrays) select. Units number
     * {@code pieces * chunks}: unit {@code u} is chunk {@code u % chunks} of piece {@code u / chunks}, the
     * bounds found by {@link WorkerPool#pieceBound}.
     */
    enum Cut {
        /** No parameters: all of it. */
        NONE,
        /** Rows {@code from .. to - 1}. */
        ROWS,
        /** The rows of units {@code from .. to - 1}: M cut into pieces, each into chunks. */
        ROW_UNITS,
        /**
         * Units {@code from .. to - 1} of k cut into pieces and M into chunks, each unit's rows summed over
         * its piece of k only and left in the piece's part of the workspace, for a second method
         * ({@link #emitSum}) to add up in piece order and finish (vector backend only).
         */
        K_UNITS
    }

    /** Floats of workspace the kernel for {@code s} takes as its last array (0: none). */
    static int workspace(Spec s) {
        if (s.finish() == Kernel.Finish.UPDATES && !LibraryMatMul.applies(s)) {
            return stepFloats(s);
        }
        return LibraryMatMul.applies(s) ? LibraryMatMul.workspace(s) : VectorMatMul.workspace(s);
    }

    /** Floats of an optimizer step's gradient summed and stepped at a time: a block of rows that stays in L1. */
    static final int STEP_BLOCK = 2048;

    /**
     * Rows of the gradient an optimizer's step ({@link Kernel.Finish#UPDATES}) sums before stepping them:
     * about {@value #STEP_BLOCK} floats, in whole blocks of the vector kernels' rows, at most M.
     */
    static int stepRows(Spec s) {
        int mr = dev.kiln.runtime.VectorKernels.MR;
        return Math.min(s.m(), Math.max(mr, STEP_BLOCK / s.n() / mr * mr));
    }

    /**
     * Floats of workspace an optimizer's step keeps its gradient's blocks in, from 0: M × N, each block at the
     * variables' own positions ({@link ProductFrame#stepBlock} says why), though only the block being stepped
     * is in use, in the L1 cache.
     */
    static int stepFloats(Spec s) {
        return s.m() * s.n();
    }

    /** Emits the kernel; {@code owner} is the generated class (which holds the vector species). */
    static void emit(GeneratorAdapter g, Spec s, Type owner) {
        ProductFrame f = new ProductFrame(g, s, true);
        if (LibraryMatMul.applies(s)) {
            LibraryMatMul.emit(f);
        } else if (s.lanes() > 0) {
            new VectorMatMul(f, new VectorOps(g, owner)).emit();
            g.returnValue();
        } else {
            new ScalarMatMul(f).emit();
        }
    }

    /**
     * Emits the method that finishes a product summed in pieces of k: adds the pieces' sums up in order
     * and finishes them. It takes the kernel's arrays, without the range.
     */
    static void emitSum(GeneratorAdapter g, Spec s, Type owner) {
        if (LibraryMatMul.applies(s)) {
            LibraryMatMul.emitSum(new ProductFrame(g, s, false));
            return;
        }
        new VectorMatMul(new ProductFrame(g, s, false), new VectorOps(g, owner)).emitSum();
        g.returnValue();
    }

}
