package dev.kiln.codegen;

import dev.kiln.ops.ScalarExpr;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Generates matrix-product kernels, a row of the result at a time, finishing each element in one of
 * three ways: store it, apply an epilogue ({@code matmul_relu} and friends), or subtract
 * {@code rate} times it from a variable ({@code sgd_update}).
 *
 * <p>Loop orders keep the innermost loop on contiguous memory: when b is not transposed, row i of the
 * result accumulates {@code a[i,k] * b[k,:]} over k (a saxpy C2 vectorizes), with the row held in
 * registers when it is short (N <= {@value #REGISTER_ROW}) and in the output row (or, for an update, a
 * row of workspace) otherwise; when b is transposed, each element is a dot product of two contiguous
 * rows with four independent accumulators. Every element's products are summed over k completely
 * before the element is finished, and an update touches each weight once.
 *
 * <p>Parameters of the generated method: a, b, the epilogue's extra operands, the output (for an update,
 * the variable), and for an update with a long row the workspace.
 */
final class MatMulKernel {
    /** Longest row kept entirely in local variables. */
    static final int REGISTER_ROW = 16;
    private static final int LANES = 4;

    /** How each finished element is used. */
    enum Finish { STORE, EPILOGUE, UPDATE }

    /**
     * @param extraStrides for each extra operand, its strides along the result's rows and columns
     */
    record Spec(int m, int n, int k, boolean ta, boolean tb, Finish finish, ScalarExpr epilogue,
            int[][] extraStrides, float rate) {
        int extras() {
            return extraStrides.length;
        }

        boolean needsWorkspace() {
            return finish == Finish.UPDATE && !tb && n > REGISTER_ROW;
        }
    }

    private final GeneratorAdapter g;
    private final Emitter e;
    private final Spec s;
    private final ScalarCodegen epilogue;
    private final int outParam;
    private final int workspaceParam;

    private MatMulKernel(GeneratorAdapter g, Spec s) {
        this.g = g;
        this.e = new Emitter(g);
        this.s = s;
        this.epilogue = s.finish() == Finish.EPILOGUE ? new ScalarCodegen(g, s.epilogue()) : null;
        this.outParam = 2 + s.extras();
        this.workspaceParam = outParam + 1;
    }

    static void emit(GeneratorAdapter g, Spec s) {
        new MatMulKernel(g, s).emit();
    }

    private void emit() {
        int i = e.newInt();
        if (!s.tb() && s.n() <= REGISTER_ROW) {
            e.loop(i, 0, s.m(), 1, () -> rowInRegisters(i));
        } else if (!s.tb()) {
            e.loop(i, 0, s.m(), 1, () -> rowInMemory(i));
        } else {
            int j = e.newInt();
            e.loop(i, 0, s.m(), 1, () -> e.loop(j, 0, s.n(), 1, () -> dot(i, j)));
        }
        g.returnValue();
    }

    /** Pushes {@code a[i,k]}: {@code a[k*M + i]} when a is transposed, else {@code a[i*K + k]}. */
    private void loadA(int i, int k, int kOffset) {
        g.loadArg(0);
        if (s.ta()) {
            e.index(i, k, s.m(), kOffset * s.m());
        } else {
            g.loadLocal(i);
            g.push(s.k());
            g.math(GeneratorAdapter.MUL, Type.INT_TYPE);
            e.index(-1, k, 1, kOffset);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
        e.faload();
    }

    private void rowInRegisters(int i) {
        int n = s.n();
        int[] acc = new int[n];
        for (int j = 0; j < n; j++) {
            acc[j] = e.newFloat();
            e.zero(acc[j]);
        }
        int k = e.newInt();
        int a = e.newFloat();
        int bRow = e.newInt();
        e.loop(k, 0, s.k(), 1, () -> {
            loadA(i, k, 0);
            g.storeLocal(a);
            e.index(-1, k, n, 0);
            g.storeLocal(bRow);
            for (int j = 0; j < n; j++) {
                g.loadLocal(acc[j]);
                g.loadLocal(a);
                g.loadArg(1);
                e.index(bRow, -1, 0, j);
                e.faload();
                e.fmul();
                e.fadd();
                g.storeLocal(acc[j]);
            }
        });
        int v = e.newFloat();
        for (int j = 0; j < n; j++) {
            final int col = j;
            g.loadLocal(acc[j]);
            g.storeLocal(v);
            finish(i, -1, col, v);
        }
    }

    private void rowInMemory(int i) {
        int n = s.n();
        boolean workspace = s.finish() == Finish.UPDATE;
        int rowParam = workspace ? workspaceParam : outParam;
        int row = e.newInt();
        if (workspace) {
            g.push(0);
        } else {
            e.index(-1, i, n, 0);
        }
        g.storeLocal(row);
        int j = e.newInt();
        e.loop(j, 0, n, 1, () -> {
            g.loadArg(rowParam);
            e.index(row, j, 1, 0);
            g.push(0f);
            e.fastore();
        });
        int k = e.newInt();
        int a = e.newFloat();
        int bRow = e.newInt();
        e.loop(k, 0, s.k(), 1, () -> {
            loadA(i, k, 0);
            g.storeLocal(a);
            e.index(-1, k, n, 0);
            g.storeLocal(bRow);
            e.loop(j, 0, n, 1, () -> {
                g.loadArg(rowParam);
                e.index(row, j, 1, 0);
                g.dup2();
                e.faload();
                g.loadLocal(a);
                g.loadArg(1);
                e.index(bRow, j, 1, 0);
                e.faload();
                e.fmul();
                e.fadd();
                e.fastore();
            });
        });
        if (s.finish() == Finish.STORE) {
            return;
        }
        int v = e.newFloat();
        e.loop(j, 0, n, 1, () -> {
            g.loadArg(rowParam);
            e.index(row, j, 1, 0);
            e.faload();
            g.storeLocal(v);
            finish(i, j, 0, v);
        });
    }

    /** Element (i, j) as a dot product of row i of a and row j of b (b transposed). */
    private void dot(int i, int j) {
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
        loadA(i, k, l);
        g.loadArg(1);
        e.index(bRow, k, 1, l);
        e.faload();
        e.fmul();
        e.fadd();
        g.storeLocal(acc);
    }

    /** Finishes element (i, j + col) whose sum of products is in float local {@code v}; j may be -1 (column col). */
    private void finish(int i, int j, int col, int v) {
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

    /** Pushes {@code i * rowStride + (j + col) * colStride}. */
    private void pushOffset(int i, int j, int col, int rowStride, int colStride) {
        e.index(-1, i, rowStride, col * colStride);
        if (j >= 0 && colStride != 0) {
            e.index(-1, j, colStride, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
    }
}
