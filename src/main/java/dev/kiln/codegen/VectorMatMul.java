package dev.kiln.codegen;

import dev.kiln.ops.Kernel;
import dev.kiln.runtime.WorkerPool;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * The vector backend's matrix products: register-blocked micro-kernels over the Vector API. When b is not
 * transposed, a block of {@value #ROWS} rows by up to {@value #VECTORS} vectors of columns keeps its sums
 * in vector registers while k runs: per k, one load of each b vector, one broadcast of each a element,
 * and a fused multiply-add per accumulator. Columns past the last whole vector are one more vector, read
 * whole but ending at the row's end and finished through a mask of its last lanes (or, when N is below
 * the vector length, read and finished through a mask of its first lanes), so N = 10 or N = 100 need no
 * scalar code; rows past the last whole block are one shorter block. When b is
 * transposed it is first copied, transposed, into the class's workspace.
 * Sums are finished as in the scalar kernel: stored (then passed through the epilogue), or applied to
 * the variable once.
 */
final class VectorMatMul {
    /** Rows of a register block: with {@link #VECTORS} vectors per row, 16 accumulators. */
    static final int ROWS = 8;
    /** Vectors of columns in a register block. */
    static final int VECTORS = 2;
    /** Column blocks emitted one by one (balanced widths); more than this share a loop. */
    private static final int UNROLLED_BLOCKS = 6;

    private final ProductFrame m;
    private final MatMulKernel.Spec s;
    private final GeneratorAdapter g;
    private final Emitter e;
    private final VectorOps v;
    private final int lanes;
    /** Where b's rows are read: parameter 1, or the workspace holding b transposed. */
    private final int bParam;
    /** Locals shared by all blocks of the kernel, made on first use. */
    private final int[] accLocals = new int[ROWS * VECTORS];
    private final int[] bLocals = new int[VECTORS];
    private final int[] aLocal = new int[1];
    private final int[] intLocals = new int[2];
    /** When summing a piece of k: the int locals holding its first k and the k to stop before, else -1. */
    private int kLo = -1;
    private int kHi = -1;
    /** When summing a piece of k: the int local holding where its sums go in the workspace, else -1. */
    private int slot = -1;

    VectorMatMul(ProductFrame m, VectorOps v) {
        this.m = m;
        this.s = m.s;
        this.g = m.g;
        this.e = m.e;
        this.v = v;
        this.lanes = s.lanes();
        this.bParam = transposesB(s) ? m.outParam + 1 : 1;
    }

    /**
     * A product with b transposed is computed from a copy of b transposed into the workspace: the copy
     * costs N·K moves against M·N·K multiply-adds, and the blocked kernel then sums every element in k
     * order with fused multiply-adds. (Dot products along k would need {@code reduceLanes}, whose order is
     * unspecified and differs between the interpreter's fallback and C2, so results would depend on
     * when the JIT got to the kernel.)
     */
    static boolean transposesB(MatMulKernel.Spec s) {
        return s.lanes() > 0 && s.tb();
    }

    /** Vector local {@code i} of {@code pool}, made on first use. */
    private int local(int[] pool, int i) {
        if (pool[i] == 0) {
            pool[i] = v.newVector();
        }
        return pool[i];
    }

    private int intLocal(int i) {
        if (intLocals[i] == 0) {
            intLocals[i] = e.newInt();
        }
        return intLocals[i];
    }

    /** Floats of workspace the kernel needs: b transposed, or each piece of k's sums. */
    static int workspace(MatMulKernel.Spec s) {
        if (s.splitsK()) {
            return s.pieces() * s.m() * s.n();
        }
        return transposesB(s) ? s.n() * s.k() : 0;
    }

    /**
     * True when the epilogue is applied to whole vectors in the block's store: its ops have exact vector
     * forms and every extra operand is read along the row contiguously (or is constant along it).
     */
    private boolean vectorEpilogue() {
        if (s.finish() != Kernel.Finish.EPILOGUE || !VectorEpilogue.supports(s.epilogue())) {
            return false;
        }
        for (int[] st : s.extraStrides()) {
            if (st[1] != 0 && st[1] != 1) {
                return false;
            }
        }
        return true;
    }

    void emit() {
        if (s.splitsK()) {
            pieces();
            return;
        }
        if (transposesB(s)) {
            TransposedCopy.emit(g, e, bParam, s.n(), s.k());
        }
        blocks();
    }

    // ------------------------------------------------------------ k in pieces

    /**
     * Units {@code from .. to - 1} of a product summed in pieces of k ({@link MatMulKernel.Cut#K_UNITS}):
     * for each, its chunk of rows, every column, summed over its piece of k only, the sums stored in the
     * piece's part of the workspace.
     */
    private void pieces() {
        kLo = e.newInt();
        kHi = e.newInt();
        slot = e.newInt();
        int u = e.newInt();
        int piece = e.newInt();
        int r0 = e.newInt();
        int r1 = e.newInt();
        int tailMask = tailMask(s.n() % lanes);
        e.loopLocals(u, m.fromRow, m.toRow, 0, 1, () -> {
            e.index(-1, u, 1, 0);
            g.push(s.chunks());
            g.math(GeneratorAdapter.DIV, Type.INT_TYPE);
            g.storeLocal(piece);
            bound(s.k(), s.pieces(), () -> g.loadLocal(piece), 0, kLo);
            bound(s.k(), s.pieces(), () -> g.loadLocal(piece), 1, kHi);
            Runnable chunk = () -> { // u - piece * chunks
                g.loadLocal(u);
                e.index(-1, piece, s.chunks(), 0);
                g.math(GeneratorAdapter.SUB, Type.INT_TYPE);
            };
            bound(s.m(), s.chunks(), chunk, 0, r0);
            bound(s.m(), s.chunks(), chunk, 1, r1);
            e.index(-1, piece, s.m() * s.n(), 0);
            g.storeLocal(slot);
            rowsBetween(r0, r1, tailMask);
        });
    }

    /** {@code into = pieceBound(rows, pieces, index + offset)}, {@code index} pushed by {@code pushIndex}. */
    private void bound(int rows, int pieces, Runnable pushIndex, int offset, int into) {
        g.push(rows);
        g.push(pieces);
        pushIndex.run();
        if (offset != 0) {
            g.push(offset);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
        g.invokeStatic(Type.getType(WorkerPool.class), new org.objectweb.asm.commons.Method("pieceBound", "(III)I"));
        g.storeLocal(into);
    }

    /**
     * The second method of a product summed in pieces of k: for each row, each column vector is the sum of
     * the pieces' sums, added in piece order, then finished like a block's sums ({@link #store}).
     */
    void emitSum() {
        int tail = s.n() % lanes;
        int mask = tailMask(tail);
        int shift = shift();
        int whole = s.n() / lanes;
        int i = e.newInt();
        int j0 = e.newInt();
        int sums = v.newVector();
        e.loopLocals(i, m.fromRow, m.toRow, 0, 1, () -> {
            if (whole > 0) {
                e.loop(j0, 0, whole * lanes, lanes, () -> {
                    sumVector(i, j0, 0, -1, sums);
                    store(sums, i, 0, j0, 0, -1);
                });
            }
            if (tail > 0) {
                int col = shift > 0 ? s.n() - lanes : whole * lanes;
                g.push(0);
                g.storeLocal(j0);
                sumVector(i, j0, col, shift > 0 ? -1 : mask, sums);
                store(sums, i, 0, j0, col, mask);
            }
            scalarEpilogue(i, 1);
        });
    }

    /**
     * Leaves in {@code sums} the pieces' sums added up for row i, columns {@code j0 + col} on (read through
     * {@code readMask} when not -1).
     */
    private void sumVector(int i, int j0, int col, int readMask, int sums) {
        for (int p = 0; p < s.pieces(); p++) {
            final int piece = p;
            Runnable at = () -> {
                e.index(-1, i, s.n(), piece * s.m() * s.n() + col);
                e.index(-1, j0, 1, 0);
                g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            };
            v.fromArray(() -> g.loadArg(m.outParam + 1), at, readMask);
            if (p > 0) {
                v.add();
            }
        }
        g.storeLocal(sums);
    }

    // ------------------------------------------------------------ b not transposed

    /**
     * A mask local for the partial vector of a row ({@code tail} columns past the last whole vector): its
     * last lanes when it is read shifted ({@link #shift}), else its first; -1 when there is none.
     */
    private int tailMask(int tail) {
        if (tail == 0) {
            return -1;
        }
        int mask = v.newMask();
        if (shift() > 0) {
            v.lastLanes(tail, lanes);
        } else {
            v.firstLanes(tail);
        }
        g.storeLocal(mask);
        return mask;
    }

    private void blocks() {
        final int tailMask = tailMask(s.n() % lanes);
        if (s.rowRange()) {
            rowsBetween(m.fromRow, m.toRow, tailMask);
            return;
        }
        int rows = Math.min(ROWS, s.m());
        int i0 = e.newInt();
        int fullRows = s.m() / rows * rows;
        e.loop(i0, 0, fullRows, rows, () -> rowBlock(i0, rows, tailMask));
        if (fullRows < s.m()) { // the remaining rows as one shorter block
            g.push(fullRows);
            g.storeLocal(i0);
            rowBlock(i0, s.m() - fullRows, tailMask);
        }
    }

    /** Rows {@code from .. to - 1} (int locals): whole blocks while they fit, then single rows. */
    private void rowsBetween(int from, int to, int tailMask) {
        int rows = Math.min(ROWS, s.m());
        int i0 = e.newInt();
        e.loopLocals(i0, from, to, rows - 1, rows, () -> rowBlock(i0, rows, tailMask));
        e.loopFromCurrentLocal(i0, to, () -> rowBlock(i0, 1, tailMask));
    }

    /**
     * How many columns the partial vector starts before its place: when a row holds at least one whole
     * vector, the partial one is read whole, ending at the row's end ({@code lanes - N % lanes} columns
     * earlier, overlapping the vector before it), and only its last lanes are finished. So the loop over
     * k never reads b with a mask: a masked read near the end of b takes a slow path (its last row would
     * run past the array), which C2 keeps in the loop, spilling every accumulator around it on each
     * iteration. The overlapping lanes compute the same sums in the same order as the vector before.
     * With N below the vector length the partial vector is read with a mask (0).
     */
    private int shift() {
        int tail = s.n() % lanes;
        return tail > 0 && s.n() >= lanes ? lanes - tail : 0;
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
        if (slot < 0) {
            scalarEpilogue(i0, rows);
        }
    }

    /**
     * When the epilogue has no vector form, the sums were stored as they are: finishes rows
     * {@code i0 .. i0 + rows - 1} one element at a time.
     */
    private void scalarEpilogue(int i0, int rows) {
        if (s.finish() == Kernel.Finish.EPILOGUE && !vectorEpilogue()) {
            int i = e.newInt();
            int j = e.newInt();
            int sum = e.newFloat();
            for (int r = 0; r < rows; r++) {
                e.index(i0, -1, 0, r);
                g.storeLocal(i);
                m.finishStoredRow(i, j, sum);
            }
        }
    }

    /**
     * A rows × width-vectors block at (i0, j0): sums in vector registers over k, then finished. When
     * {@code mask} is a local, the last vector reads and writes only its lanes.
     */
    private void block(int i0, int rows, int j0, int width, int mask) {
        // every block reuses the same locals: fewer locals keep C1 from giving up on the method
        int[][] acc = new int[rows][width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                acc[r][c] = local(accLocals, r * VECTORS + c);
                v.zero();
                g.storeLocal(acc[r][c]);
            }
        }
        int shift = mask >= 0 ? shift() : 0;
        int[] b = new int[width];
        for (int c = 0; c < width; c++) {
            b[c] = local(bLocals, c);
        }
        int a = local(aLocal, 0);
        int k = intLocal(0);
        int bRow = intLocal(1);
        Runnable step = () -> {
            e.index(j0, k, s.n(), 0);
            g.storeLocal(bRow);
            for (int c = 0; c < width; c++) {
                final int col = c == width - 1 ? c * lanes - shift : c * lanes;
                Runnable index = () -> e.index(bRow, -1, 0, col);
                if (mask >= 0 && c == width - 1 && shift == 0) {
                    v.fromArray(() -> g.loadArg(bParam), index, mask);
                } else {
                    v.fromArray(() -> g.loadArg(bParam), index);
                }
                g.storeLocal(b[c]);
            }
            for (int r = 0; r < rows; r++) {
                final int row = r;
                v.broadcast(() -> m.loadA(i0, row, k, 0));
                g.storeLocal(a);
                for (int c = 0; c < width; c++) {
                    g.loadLocal(a);
                    g.loadLocal(b[c]);
                    g.loadLocal(acc[r][c]);
                    v.fma();
                    g.storeLocal(acc[r][c]);
                }
            }
        };
        if (kLo >= 0) {
            e.loopLocals(k, kLo, kHi, 0, 1, step);
        } else {
            e.loop(k, 0, s.k(), 1, step);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                boolean last = mask >= 0 && c == width - 1;
                store(acc[r][c], i0, r, j0, last ? c * lanes - shift : c * lanes, last ? mask : -1);
            }
        }
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
        if (slot >= 0) { // a piece of k: its sums, as they are, in its part of the workspace
            g.loadLocal(sums);
            g.loadArg(m.outParam + 1);
            offset.run();
            g.loadLocal(slot);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            v.intoArray(mask);
            return;
        }
        if (s.finish() == Kernel.Finish.UPDATE) {
            v.fromArray(() -> g.loadArg(m.outParam), offset, mask);
            g.loadLocal(sums);
            g.push(s.rate());
            v.mulScalar();
            v.sub();
        } else if (vectorEpilogue()) {
            VectorEpilogue.emit(g, v, s.epilogue(), arg -> {
                if (arg == 0) {
                    g.loadLocal(sums);
                    return;
                }
                int[] st = s.extraStrides()[arg - 1];
                int param = 2 + arg - 1;
                if (st[1] == 0) { // constant along the row: one element, broadcast
                    v.broadcast(() -> {
                        g.loadArg(param);
                        e.index(-1, i0, st[0], r * st[0]);
                        e.faload();
                    });
                    return;
                }
                Runnable at = () -> {
                    e.index(-1, i0, st[0], r * st[0] + col);
                    e.index(-1, j0, 1, 0);
                    g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
                };
                v.fromArray(() -> g.loadArg(param), at, mask);
            });
        } else {
            g.loadLocal(sums);
        }
        g.loadArg(m.outParam);
        offset.run();
        v.intoArray(mask);
    }

}
