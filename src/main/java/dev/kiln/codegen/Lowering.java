package dev.kiln.codegen;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ops.Kernel;
import dev.kiln.ops.KilnOp;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Chooses the generator for each kernel and describes the kernel to it. What a node runs, a loop nest or
 * a matrix product, its op says itself ({@code KilnOp.kernel}); this class hands a loop nest to
 * {@link LoopKernel}, and for a product decides its sizes and how it is cut between threads.
 */
final class Lowering {
    private Lowering() {}

    /**
     * A kernel's parameters (arrays, in order) and how to emit its body. A kernel with a workspace takes,
     * as its last parameter, an array of {@code workspace} floats of its own, allocated with the instance.
     * A kernel with a {@code range} takes two ints after the arrays, the rows {@code from .. to - 1} to
     * compute. A kernel with a {@code sum} leaves partial sums in the workspace, and its second method
     * ({@link ClassGenerator#sumMethod}, the same arrays without the range) adds them up and finishes them.
     */
    record Code(List<Buffer> params, Consumer<GeneratorAdapter> body, int workspace, Range range,
            Consumer<GeneratorAdapter> sum) {
        Code(List<Buffer> params, Consumer<GeneratorAdapter> body) {
            this(params, body, 0, null, null);
        }

        /** True when the rows are shared between threads, through the pool. */
        boolean parallel() {
            return range != null && range.shared();
        }

        /** True when the method takes the rows to compute (from, to) after the arrays. */
        boolean ranged() {
            return range != null;
        }

        /** Number of array parameters, the workspace included. */
        int arity() {
            return params.size() + (workspace > 0 ? 1 : 0);
        }
    }

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

    /**
     * How {@code k} is generated; {@code lanes} floats per vector for the vector backend (0: scalar). A
     * large product reading a variable as b is summed in pieces of k ({@link #splitsK}) on any number of
     * threads; with {@code threads} above 1, the other large products (whose b needs no transposed copy)
     * share their rows, an update owning its variable's pieces.
     */
    static Code lower(Step.Kernel k, int lanes, org.objectweb.asm.Type owner, int threads) {
        Node n = k.node();
        List<Buffer> params = new ArrayList<>();
        for (Buffer b : k.inputs()) {
            if (b != null) {
                params.add(b);
            }
        }
        params.add(k.output());
        Kernel kernel = KilnOp.of(n.op()).kernel(n);
        if (kernel instanceof Kernel.Loop loop) {
            return new Code(params, g -> LoopKernel.emit(g, loop));
        }
        if (!(kernel instanceof Kernel.Product p)) {
            throw new IllegalStateException("no kernel to run for " + n.op().name() + " (its value is "
                    + n.op().storage().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        boolean update = p.finish() == Kernel.Finish.UPDATE;
        MatMulKernel.Spec one = matmul(n, p, lanes, MatMulKernel.Cut.NONE, 0, 0);
        if (update) {
            params.remove(0); // the variable is the output, not an input
        }
        if (splitsK(one, k.inputs().get(p.b()), lanes)) {
            // one unit per piece: every unit reads all of its piece of b, so smaller units would cost more
            // calls, and a thread taking another's unit would read that thread's rows of b for little work
            MatMulKernel.Spec spec = matmul(n, p, lanes, MatMulKernel.Cut.K_UNITS, PIECES, 1);
            return new Code(params, g -> MatMulKernel.emit(g, spec, owner), MatMulKernel.workspace(spec),
                    new Range(PIECES, 1, PIECES, 1, threads > 1), g -> MatMulKernel.emitSum(g, spec, owner));
        }
        boolean share = threads > 1 && (long) one.m() * one.n() * one.k() >= PARALLEL_WORK
                && !VectorMatMul.transposesB(one) && one.m() >= 2 * threads;
        // an update's rows are its variable's: owned, in the pieces of the products reading it
        int chunks = chunks(one.m() / PIECES);
        MatMulKernel.Spec spec = !share ? one : update ? matmul(n, p, lanes, MatMulKernel.Cut.ROW_UNITS, PIECES, chunks)
                : matmul(n, p, lanes, MatMulKernel.Cut.ROWS, 0, 0);
        Range range = !share ? null : update ? new Range(PIECES * chunks, 1, PIECES, chunks, true)
                : new Range(spec.m(), lanes > 0 ? VectorMatMul.ROWS : 1, 0, 0, true);
        return new Code(params, g -> MatMulKernel.emit(g, spec, owner), MatMulKernel.workspace(spec), range, null);
    }

    /** The generator's description of product {@code p} of node {@code n}, cut as given. */
    private static MatMulKernel.Spec matmul(Node n, Kernel.Product p, int lanes, MatMulKernel.Cut cut, int pieces,
            int chunks) {
        Shape a = n.input(p.a()).shape();
        Shape b = n.input(p.b()).shape();
        int m = p.transposeA() ? a.dim(1) : a.dim(0);
        int k = p.transposeA() ? a.dim(0) : a.dim(1);
        int cols = p.transposeB() ? b.dim(0) : b.dim(1);
        return new MatMulKernel.Spec(m, cols, k, p.transposeA(), p.transposeB(), p.finish(), p.epilogue(),
                p.extraStrides(), p.rate(), lanes, cut, pieces, chunks);
    }
}
