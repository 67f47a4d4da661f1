package dev.kiln.codegen;

import dev.kiln.plan.Buffer;
import dev.kiln.runtime.WorkerPool;

/**
 * The threading policy of matrix products: which are summed in pieces of k, which share their rows
 * between threads, and in how many units. Results never depend on the number of threads: the pieces of
 * k are the same for any number of them, and rows are independent.
 */
final class ProductCuts {
    private ProductCuts() {}

    /**
     * What a ranged kernel's {@code (from, to)} count: {@code rows} rows, or, when {@code pieces} is above
     * 0, {@code rows = pieces * chunks} units ({@link MatMulKernel.Cut}). When {@code shared}, the pool
     * hands them out: rows in chunks that are multiples of {@code align} rows ({@link WorkerPool#run}),
     * units each thread owning the same pieces every time ({@link WorkerPool#runOwned}). When not shared,
     * the driver asks for all of them.
     */
    record Range(int rows, int align, int pieces, int chunks, boolean shared) {}

    /** Multiply-adds below which a product is not worth sharing between threads. */
    static final long PARALLEL_WORK = 1L << 20;

    /**
     * Pieces a variable's rows are cut into, for every thread count: the pieces of k of a product reading
     * the variable as b ({@link #splitsK}) and the rows of its update are the same pieces, so the thread
     * that updates rows of a variable is the one reading them in the next run's products.
     */
    static final int PIECES = 4;

    /** Partial sums a product split along k may keep: {@value} floats (4 MB). */
    static final int MAX_PARTIALS = 1 << 20;

    /** Units per piece of an update's rows: up to 8, of at least 8 rows ({@code rows} in each piece). */
    static int chunks(int rows) {
        return Math.max(1, Math.min(8, rows / 8));
    }

    /**
     * True when the product is computed as {@link #PIECES} partial products along k, summed in order by a
     * second method: on the vector backend, for a large product whose b (not transposed) is a variable,
     * whatever the number of threads, so that results never depend on it. Each thread then reads only
     * its pieces of the variable, the rows it also updates ({@link Range#pieces}), instead of all of it:
     * shared by rows, every thread would read every row of b, half of them written by the other core in
     * the previous step's update, and fetching those across cores cost a two-thread canonical step about a
     * fifth of its time.
     */
    static boolean splitsK(MatMulKernel.Spec s, Buffer b, int lanes) {
        if (lanes == 0 || s.tb() || b == null || b.kind() != Buffer.Kind.VARIABLE) {
            return false;
        }
        return (long) s.m() * s.n() * s.k() >= PARALLEL_WORK && s.k() >= 8 * PIECES
                && (long) PIECES * s.m() * s.n() <= MAX_PARTIALS;
    }

    /** How one product is generated and run: its cut, the units of it, and the range its method takes (or null). */
    record Cut(MatMulKernel.Cut kind, int pieces, int chunks, Range range) {}

    /**
     * The cut of product {@code one} (described uncut) whose b is {@code b}: a large product reading a
     * variable as b is summed in pieces of k ({@link #splitsK}) on any number of threads; with
     * {@code threads} above 1, the other large products (whose b needs no transposed copy) share their
     * rows, an update owning its variable's pieces.
     */
    static Cut cut(MatMulKernel.Spec one, Buffer b, boolean update, int lanes, int threads) {
        if (splitsK(one, b, lanes)) {
            // one unit per piece: every unit reads all of its piece of b, so smaller units would cost more
            // calls, and a thread taking another's unit would read that thread's rows of b for little work
            return new Cut(MatMulKernel.Cut.K_UNITS, PIECES, 1, new Range(PIECES, 1, PIECES, 1, threads > 1));
        }
        boolean share = threads > 1 && (long) one.m() * one.n() * one.k() >= PARALLEL_WORK
                && !VectorMatMul.transposesB(one) && one.m() >= 2 * threads;
        if (!share) {
            return new Cut(MatMulKernel.Cut.NONE, 0, 0, null);
        }
        if (update) {
            // an update's rows are its variable's: owned, in the pieces of the products reading it
            int chunks = chunks(one.m() / PIECES);
            return new Cut(MatMulKernel.Cut.ROW_UNITS, PIECES, chunks, new Range(PIECES * chunks, 1, PIECES, chunks, true));
        }
        return new Cut(MatMulKernel.Cut.ROWS, 0, 0, new Range(one.m(), lanes > 0 ? VectorMatMul.ROWS : 1, 0, 0, true));
    }
}
