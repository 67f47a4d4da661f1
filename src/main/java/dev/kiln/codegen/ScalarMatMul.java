package dev.kiln.codegen;

import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * The scalar backend's matrix products. Loop orders keep the innermost loads on contiguous memory: when b
 * is not transposed, row i of the result is computed {@value #TILE} columns at a time, the tile's sums
 * held in local variables while {@code a[i,k] * b[k, tile]} is added for each k (sixteen independent
 * chains, no stores in the k loop); when b is transposed, each element is a dot product of two contiguous
 * rows with four independent accumulators. Every element is finished by the frame once summed.
 */
final class ScalarMatMul {
    /** Columns of a row summed together in local variables. */
    static final int TILE = 16;
    private static final int LANES = 4;

    private final ProductFrame f;
    private final GeneratorAdapter g;
    private final Emitter e;
    private final MatMulKernel.Spec s;

    ScalarMatMul(ProductFrame f) {
        this.f = f;
        this.g = f.g;
        this.e = f.e;
        this.s = f.s;
    }

    void emit() {
        if (s.finish() == dev.kiln.ops.Kernel.Finish.UPDATES) {
            f.stepInBlocks(this::rows); // an optimizer's step: a block of rows summed into the workspace, then stepped
        } else {
            rows();
        }
        g.returnValue();
    }

    /** Rows {@code fromRow .. toRow - 1}, each element finished by the frame. */
    private void rows() {
        int i = e.newInt();
        if (!s.tb()) {
            e.loopLocals(i, f.fromRow, f.toRow, 0, 1, () -> rowInTiles(i));
        } else {
            int j = e.newInt();
            e.loopLocals(i, f.fromRow, f.toRow, 0, 1, () -> e.loop(j, 0, s.n(), 1, () -> dot(i, j)));
        }
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
            f.loadA(i, 0, k, 0);
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
            f.finish(i, j0, t, acc[t]);
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
        f.finish(i, j, 0, v);
    }

    /** {@code acc += a[i, k+l] * b[j, k+l]} with b transposed. */
    private void product(int acc, int i, int k, int l, int bRow) {
        g.loadLocal(acc);
        f.loadA(i, 0, k, l);
        g.loadArg(1);
        e.index(bRow, k, 1, l);
        e.faload();
        e.fmul();
        e.fadd();
        g.storeLocal(acc);
    }

}
