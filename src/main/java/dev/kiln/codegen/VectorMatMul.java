package dev.kiln.codegen;

import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * The vector backend's matrix products: register-blocked micro-kernels over the Vector API. When b is not
 * transposed, a block of {@value #ROWS} rows by up to {@value #VECTORS} vectors of columns keeps its sums
 * in vector registers while k runs: per k, one load of each b vector, one broadcast of each a element,
 * and a fused multiply-add per accumulator. Columns past the last whole vector are a masked vector (so
 * N = 10 or N = 100 need no scalar code); rows past the last whole block are blocks of one row. When b is
 * transposed, each element is a dot product along k, a vector at a time, for four columns at once (one
 * load of a's vector serves four), with a scalar tail.
 * Sums are finished as in the scalar kernel: stored (then passed through the epilogue), or applied to
 * the variable once.
 */
final class VectorMatMul {
    static final int ROWS = Integer.getInteger("kiln.vector.rows", 8);
    static final int VECTORS = Integer.getInteger("kiln.vector.vectors", 2);
    /** Column blocks emitted one by one (balanced widths); more than this share a loop. */
    private static final int UNROLLED_BLOCKS = 6;
    private static final int DOT_COLUMNS = 4;

    private final MatMulKernel m;
    private final MatMulKernel.Spec s;
    private final GeneratorAdapter g;
    private final Emitter e;
    private final VectorOps v;
    private final int lanes;
    /** Where b's rows are read: parameter 1, or the workspace holding b transposed. */
    private final int bParam;

    VectorMatMul(MatMulKernel m, VectorOps v) {
        this.m = m;
        this.s = m.s;
        this.g = m.g;
        this.e = m.e;
        this.v = v;
        this.lanes = s.lanes();
        this.bParam = transposesB(s) ? m.outParam + 1 : 1;
    }

    /**
     * A product with b transposed and a short k (fewer than four vectors) is computed from a copy of b
     * transposed into the kernel's workspace: the copy costs N·K moves against M·N·K multiply-adds, and the
     * blocked kernel beats dot products this short.
     */
    static boolean transposesB(MatMulKernel.Spec s) {
        return s.lanes() > 0 && s.tb() && (s.ta() || s.k() < 4 * s.lanes());
    }

    /** Floats of workspace the kernel needs. */
    static int workspace(MatMulKernel.Spec s) {
        return transposesB(s) ? s.n() * s.k() : 0;
    }

    /** The vector kernels take every product. */
    static boolean applies(MatMulKernel.Spec s) {
        return true;
    }

    void emit() {
        if (s.tb() && !transposesB(s)) {
            dots();
            return;
        }
        if (transposesB(s)) {
            transposeB();
        }
        blocks();
    }

    /** workspace[k*N + j] = b[j*K + k]: b (N × K) laid out as K × N. */
    private void transposeB() {
        int j = e.newInt();
        int k = e.newInt();
        e.loop(j, 0, s.n(), 1, () -> e.loop(k, 0, s.k(), 1, () -> {
            g.loadArg(bParam);
            e.index(j, k, s.n(), 0);
            g.loadArg(1);
            e.index(k, j, s.k(), 0);
            e.faload();
            e.fastore();
        }));
    }

    // ------------------------------------------------------------ b not transposed

    private void blocks() {
        int tail = s.n() % lanes;
        int mask = -1;
        if (tail > 0) {
            mask = v.newMask();
            v.firstLanes(tail);
            g.storeLocal(mask);
        }
        final int tailMask = mask;
        int rows = Math.min(ROWS, s.m());
        int fullRows = s.m() / rows * rows;
        int i0 = e.newInt();
        e.loop(i0, 0, fullRows, rows, () -> rowBlock(i0, rows, tailMask));
        if (fullRows < s.m()) { // the remaining rows as one shorter block
            g.push(fullRows);
            g.storeLocal(i0);
            rowBlock(i0, s.m() - fullRows, tailMask);
        }
    }

    /**
     * Rows {@code i0 .. i0 + rows - 1}, every column: blocks of {@value #VECTORS} vectors, the last block
     * ending with a masked vector when N is not a multiple of the vector length; then the epilogue.
     */
    private void rowBlock(int i0, int rows, int tailMask) {
        int vectors = (s.n() + lanes - 1) / lanes; // the last may be partial
        int blocks = (vectors + VECTORS - 1) / VECTORS;
        int j0 = e.newInt();
        if (blocks <= UNROLLED_BLOCKS) {
            // balanced widths (7 vectors: 4 + 3), each block emitted on its own
            int start = 0;
            for (int b = 0; b < blocks; b++) {
                int width = (vectors - start + (blocks - b) - 1) / (blocks - b);
                g.push(start * lanes);
                g.storeLocal(j0);
                block(i0, rows, j0, width, tailMask >= 0 && start + width == vectors ? tailMask : -1);
                start += width;
            }
        } else {
            // whole blocks of VECTORS share a loop; the block holding the partial vector comes last
            boolean lastIsPartial = tailMask >= 0;
            int loopBlocks = lastIsPartial && vectors % VECTORS == 0 ? vectors / VECTORS - 1 : vectors / VECTORS;
            e.loop(j0, 0, loopBlocks * VECTORS * lanes, VECTORS * lanes, () -> block(i0, rows, j0, VECTORS, -1));
            int rest = vectors - loopBlocks * VECTORS;
            if (rest > 0) {
                g.push(loopBlocks * VECTORS * lanes);
                g.storeLocal(j0);
                block(i0, rows, j0, rest, tailMask);
            }
        }
        if (s.finish() == MatMulKernel.Finish.EPILOGUE) {
            int i = e.newInt();
            int j = e.newInt();
            int sum = e.newFloat();
            for (int r = 0; r < rows; r++) {
                e.index(i0, -1, 0, r);
                g.storeLocal(i);
                e.loop(j, 0, s.n(), 1, () -> {
                    g.loadArg(m.outParam);
                    e.index(-1, i, s.n(), 0);
                    e.index(-1, j, 1, 0);
                    g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
                    e.faload();
                    g.storeLocal(sum);
                    m.finish(i, j, 0, sum);
                });
            }
        }
    }

    /**
     * A rows × width-vectors block at (i0, j0): sums in vector registers over k, then finished. When
     * {@code mask} is a local, the last vector reads and writes only its lanes.
     */
    private void block(int i0, int rows, int j0, int width, int mask) {
        int[][] acc = new int[rows][width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                acc[r][c] = v.newVector();
                v.zero();
                g.storeLocal(acc[r][c]);
            }
        }
        int[] b = new int[width];
        for (int c = 0; c < width; c++) {
            b[c] = v.newVector();
        }
        int a = v.newVector();
        int k = e.newInt();
        int bRow = e.newInt();
        e.loop(k, 0, s.k(), 1, () -> {
            e.index(j0, k, s.n(), 0);
            g.storeLocal(bRow);
            for (int c = 0; c < width; c++) {
                final int col = c;
                Runnable index = () -> e.index(bRow, -1, 0, col * lanes);
                if (mask >= 0 && c == width - 1) {
                    v.fromArray(() -> g.loadArg(bParam), index, mask);
                } else {
                    v.fromArray(() -> g.loadArg(bParam), index);
                }
                g.storeLocal(b[c]);
            }
            for (int r = 0; r < rows; r++) {
                final int row = r;
                v.broadcast(() -> loadA(i0, row, k));
                g.storeLocal(a);
                for (int c = 0; c < width; c++) {
                    g.loadLocal(a);
                    g.loadLocal(b[c]);
                    g.loadLocal(acc[r][c]);
                    v.fma();
                    g.storeLocal(acc[r][c]);
                }
            }
        });
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                store(acc[r][c], i0, r, j0, c * lanes, mask >= 0 && c == width - 1 ? mask : -1);
            }
        }
    }

    /** Pushes a[i0 + r, k]. */
    private void loadA(int i0, int r, int k) {
        g.loadArg(0);
        if (s.ta()) {
            e.index(i0, k, s.m(), r);
        } else {
            e.index(-1, i0, s.k(), r * s.k());
            e.index(-1, k, 1, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
        e.faload();
    }

    /**
     * Finishes the vector of sums for row i0 + r, columns j0 + col on: stored, or applied to the variable
     * as {@code w - rate * sums}, like the scalar kernel. With a mask, only its lanes.
     */
    private void store(int sums, int i0, int r, int j0, int col, int mask) {
        Runnable offset = () -> {
            e.index(-1, i0, s.n(), r * s.n() + col);
            e.index(-1, j0, 1, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        };
        if (s.finish() == MatMulKernel.Finish.UPDATE) {
            if (mask >= 0) {
                v.fromArray(() -> g.loadArg(m.outParam), offset, mask);
            } else {
                v.fromArray(() -> g.loadArg(m.outParam), offset);
            }
            g.loadLocal(sums);
            g.push(s.rate());
            v.mulScalar();
            v.sub();
        } else {
            g.loadLocal(sums);
        }
        g.loadArg(m.outParam);
        offset.run();
        if (mask >= 0) {
            v.intoArray(mask);
        } else {
            v.intoArray();
        }
    }

    // ------------------------------------------------------------ b transposed: dot products

    private void dots() {
        int full = s.n() / DOT_COLUMNS * DOT_COLUMNS;
        int i = e.newInt();
        int j = e.newInt();
        e.loop(i, 0, s.m(), 1, () -> {
            e.loop(j, 0, full, DOT_COLUMNS, () -> dotBlock(i, j, DOT_COLUMNS));
            if (full < s.n()) {
                e.loop(j, full, s.n(), 1, () -> dotBlock(i, j, 1));
            }
        });
    }

    /** Elements (i, j .. j + cols - 1): a's row i against b's rows j.., a vector of k at a time. */
    private void dotBlock(int i, int j, int cols) {
        int kv = s.k() / lanes * lanes;
        int[] acc = new int[cols];
        for (int c = 0; c < cols; c++) {
            acc[c] = v.newVector();
            v.zero();
            g.storeLocal(acc[c]);
        }
        int av = v.newVector();
        int k = e.newInt();
        e.loop(k, 0, kv, lanes, () -> {
            v.fromArray(() -> g.loadArg(0), () -> {
                e.index(-1, i, s.k(), 0);
                e.index(-1, k, 1, 0);
                g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            });
            g.storeLocal(av);
            for (int c = 0; c < cols; c++) {
                final int col = c;
                g.loadLocal(av);
                v.fromArray(() -> g.loadArg(1), () -> {
                    e.index(-1, j, s.k(), col * s.k());
                    e.index(-1, k, 1, 0);
                    g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
                });
                g.loadLocal(acc[c]);
                v.fma();
                g.storeLocal(acc[c]);
            }
        });
        int sum = e.newFloat();
        int jc = e.newInt();
        for (int c = 0; c < cols; c++) {
            final int col = c;
            g.loadLocal(acc[c]);
            v.sumLanes();
            g.storeLocal(sum);
            e.loop(k, kv, s.k(), 1, () -> { // the tail of k past the last whole vector
                g.loadLocal(sum);
                m.loadA(i, k, 0);
                g.loadArg(1);
                e.index(-1, j, s.k(), col * s.k());
                e.index(-1, k, 1, 0);
                g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
                e.faload();
                e.fmul();
                e.fadd();
                g.storeLocal(sum);
            });
            e.index(j, -1, 0, col);
            g.storeLocal(jc);
            m.finish(i, jc, 0, sum);
        }
    }
}
