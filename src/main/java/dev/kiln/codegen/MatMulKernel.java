package dev.kiln.codegen;

import dev.kiln.ops.Kernel;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.runtime.WorkerPool;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Generates matrix-product kernels, a row of the result at a time, finishing each element in one of
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
    /** Columns of a row summed together in local variables. */
    static final int TILE = 16;
    private static final int LANES = 4;

    /**
     * @param extraStrides for each extra operand, its strides along the result's rows and columns
     * @param lanes        floats per vector for the vector backend, 0 for scalar code
     * @param cut          what the kernel computes: everything, or what two int parameters after the
     *                     arrays say ({@link Cut})
     * @param pieces       for the cuts into units: how many pieces (of M or of k) ...
     * @param chunks       ... and how many units each piece is cut into
     */
    record Spec(int m, int n, int k, boolean ta, boolean tb, Kernel.Finish finish, ScalarExpr epilogue,
            int[][] extraStrides, float rate, int lanes, Cut cut, int pieces, int chunks) {
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

    final GeneratorAdapter g;
    final Emitter e;
    final Spec s;
    private final ScalarCodegen epilogue;
    final int outParam;

    private MatMulKernel(GeneratorAdapter g, Spec s) {
        this(g, s, true);
    }

    /** {@code ranged}: the method takes the range after its arrays, when the spec asks for one. */
    private MatMulKernel(GeneratorAdapter g, Spec s, boolean ranged) {
        this.g = g;
        this.e = new Emitter(g);
        this.s = s;
        this.epilogue = s.finish() == Kernel.Finish.EPILOGUE ? new ScalarCodegen(g, s.epilogue()) : null;
        this.outParam = 2 + s.extras();
        this.fromRow = e.newInt();
        this.toRow = e.newInt();
        if (ranged && s.cut() != Cut.NONE) {
            int arrays = outParam + 1 + (workspace(s) > 0 ? 1 : 0);
            g.loadArg(arrays);
            if (s.cut() == Cut.ROW_UNITS) {
                unitStart(s.m());
            }
            g.storeLocal(fromRow);
            g.loadArg(arrays + 1);
            if (s.cut() == Cut.ROW_UNITS) {
                unitStart(s.m());
            }
            g.storeLocal(toRow);
        } else {
            g.push(0);
            g.storeLocal(fromRow);
            g.push(s.m());
            g.storeLocal(toRow);
        }
    }

    /** Floats of workspace the kernel for {@code s} takes as its last array (0: none). */
    static int workspace(Spec s) {
        return LibraryMatMul.applies(s) ? LibraryMatMul.workspace(s) : VectorMatMul.workspace(s);
    }

    /** Emits the kernel; {@code owner} is the generated class (which holds the vector species). */
    static void emit(GeneratorAdapter g, Spec s, Type owner) {
        new MatMulKernel(g, s).emit(owner);
    }

    /** {@code u -> } the first of {@code rows} rows in unit u ({@link WorkerPool#unitStart}). */
    void unitStart(int rows) {
        g.push(rows);
        g.push(s.pieces());
        g.push(s.chunks());
        g.invokeStatic(Type.getType(WorkerPool.class), new org.objectweb.asm.commons.Method("unitStart", "(IIII)I"));
    }

    /**
     * Emits the method that finishes a product summed in pieces of k: adds the pieces' sums up in order
     * and finishes them. It takes the kernel's arrays, without the range.
     */
    static void emitSum(GeneratorAdapter g, Spec s, Type owner) {
        if (LibraryMatMul.applies(s)) {
            LibraryMatMul.emitSum(new MatMulKernel(g, s, false));
            return;
        }
        new VectorMatMul(new MatMulKernel(g, s, false), new VectorOps(g, owner)).emitSum();
        g.returnValue();
    }

    /**
     * The first row to compute and the row to stop before, as int locals (for a product summed in pieces:
     * the first k and the k to stop before).
     */
    final int fromRow;
    final int toRow;

    private void emit(Type owner) {
        if (LibraryMatMul.applies(s)) {
            LibraryMatMul.emit(this);
            return;
        }
        if (s.lanes() > 0) {
            new VectorMatMul(this, new VectorOps(g, owner)).emit();
            g.returnValue();
            return;
        }
        int i = e.newInt();
        if (!s.tb()) {
            e.loopLocals(i, fromRow, toRow, 0, 1, () -> rowInTiles(i));
        } else {
            int j = e.newInt();
            e.loopLocals(i, fromRow, toRow, 0, 1, () -> e.loop(j, 0, s.n(), 1, () -> dot(i, j)));
        }
        g.returnValue();
    }

    /**
     * Pushes {@code a[i + row, k + kOffset]} ({@code row} and {@code kOffset} constants): {@code a[k*M + i]}
     * when a is transposed, else {@code a[i*K + k]}.
     */
    void loadA(int i, int row, int k, int kOffset) {
        g.loadArg(0);
        if (s.ta()) {
            e.index(i, k, s.m(), kOffset * s.m() + row);
        } else {
            e.index(-1, i, s.k(), row * s.k() + kOffset);
            e.index(-1, k, 1, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
        e.faload();
    }

    /**
     * Row i, {@code TILE} columns at a time: each tile's sums live in local variables while k runs, so the
     * inner loop only loads (a contiguous stretch of b's row k) and the tile is finished once. Full tiles
     * share one loop; the last, shorter tile is unrolled on its own.
     */
    private void rowInTiles(int i) {
        int n = s.n();
        int tile = Math.min(n, TILE);
        int full = n / tile;
        int rest = n - full * tile;
        int j0 = e.newInt();
        if (full == 1) {
            g.push(0);
            g.storeLocal(j0);
            tile(i, j0, tile);
        } else {
            e.loop(j0, 0, full * tile, tile, () -> tile(i, j0, tile));
        }
        if (rest > 0) {
            g.push(full * tile);
            g.storeLocal(j0);
            tile(i, j0, rest);
        }
    }

    /** Columns {@code j0 .. j0 + width - 1} of row i, summed over k in registers, then finished. */
    void tile(int i, int j0, int width) {
        int n = s.n();
        int[] acc = new int[width];
        for (int t = 0; t < width; t++) {
            acc[t] = e.newFloat();
            e.zero(acc[t]);
        }
        int k = e.newInt();
        int a = e.newFloat();
        int bRow = e.newInt();
        e.loop(k, 0, s.k(), 1, () -> {
            loadA(i, 0, k, 0);
            g.storeLocal(a);
            e.index(j0, k, n, 0);
            g.storeLocal(bRow);
            for (int t = 0; t < width; t++) {
                g.loadLocal(acc[t]);
                g.loadLocal(a);
                g.loadArg(1);
                e.index(bRow, -1, 0, t);
                e.faload();
                e.fmul();
                e.fadd();
                g.storeLocal(acc[t]);
            }
        });
        for (int t = 0; t < width; t++) {
            finish(i, j0, t, acc[t]);
        }
    }

    /** Element (i, j) as a dot product of row i of a and row j of b (b transposed). */
    void dot(int i, int j) {
        int kk = s.k();
        int lanes = kk >= 2 * LANES ? LANES : 1;
        int[] acc = new int[lanes];
        for (int l = 0; l < lanes; l++) {
            acc[l] = e.newFloat();
            e.zero(acc[l]);
        }
        int bRow = e.newInt();
        e.index(-1, j, kk, 0);
        g.storeLocal(bRow);
        int k = e.newInt();
        Runnable body4 = () -> {
            for (int l = 0; l < lanes; l++) {
                product(acc[l], i, k, l, bRow);
            }
        };
        if (lanes > 1) {
            e.loop(k, 0, kk - (LANES - 1), LANES, body4);
            e.loopFromCurrent(k, kk, 1, () -> product(acc[0], i, k, 0, bRow));
        } else {
            e.loop(k, 0, kk, 1, body4);
        }
        int v = acc[0];
        if (lanes > 1) {
            g.loadLocal(acc[0]);
            g.loadLocal(acc[1]);
            e.fadd();
            g.loadLocal(acc[2]);
            g.loadLocal(acc[3]);
            e.fadd();
            e.fadd();
            g.storeLocal(v);
        }
        finish(i, j, 0, v);
    }

    /** {@code acc += a[i, k+l] * b[j, k+l]} with b transposed. */
    private void product(int acc, int i, int k, int l, int bRow) {
        g.loadLocal(acc);
        loadA(i, 0, k, l);
        g.loadArg(1);
        e.index(bRow, k, 1, l);
        e.faload();
        e.fmul();
        e.fadd();
        g.storeLocal(acc);
    }

    /** Finishes element (i, j + col) whose sum of products is in float local {@code v}; j may be -1 (column col). */
    void finish(int i, int j, int col, int v) {
        int n = s.n();
        g.loadArg(outParam);
        pushOffset(i, j, col, n, 1);
        switch (s.finish()) {
            case STORE -> g.loadLocal(v);
            case UPDATE -> {
                g.dup2();
                e.faload();
                g.push(s.rate());
                g.loadLocal(v);
                e.fmul();
                e.fsub();
            }
            case EPILOGUE -> epilogue.emit(arg -> {
                if (arg == 0) {
                    g.loadLocal(v);
                } else {
                    int[] st = s.extraStrides()[arg - 1];
                    g.loadArg(2 + arg - 1);
                    pushOffset(i, j, col, st[0], st[1]);
                    e.faload();
                }
            });
        }
        e.fastore();
    }

    /**
     * Row i (int local) of sums already stored in the output, passed through the epilogue in place, one
     * element at a time; {@code j} and {@code sum} are an int and a float local it may use.
     */
    void finishStoredRow(int i, int j, int sum) {
        e.loop(j, 0, s.n(), 1, () -> {
            g.loadArg(outParam);
            e.index(-1, i, s.n(), 0);
            e.index(-1, j, 1, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            e.faload();
            g.storeLocal(sum);
            finish(i, j, 0, sum);
        });
    }

    /** Pushes {@code i * rowStride + (j + col) * colStride}. */
    private void pushOffset(int i, int j, int col, int rowStride, int colStride) {
        e.index(-1, i, rowStride, col * colStride);
        if (j >= 0 && colStride != 0) {
            e.index(-1, j, colStride, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
    }
}
