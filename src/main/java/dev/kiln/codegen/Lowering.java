package dev.kiln.codegen;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ops.Broadcast;
import dev.kiln.ops.BroadcastLike;
import dev.kiln.ops.Div;
import dev.kiln.ops.Elementwise;
import dev.kiln.ops.Fill;
import dev.kiln.ops.FusedElementwise;
import dev.kiln.ops.FusedMatMul;
import dev.kiln.ops.FusedReduce;
import dev.kiln.ops.MatMul;
import dev.kiln.ops.ReduceMean;
import dev.kiln.ops.ReduceSum;
import dev.kiln.ops.Reduction;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.ops.SgdUpdate;
import dev.kiln.ops.SumLike;
import dev.kiln.ops.Transpose;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Chooses the generator for each kind of kernel and describes the kernel to it: the iteration space and
 * strides for loop kernels, the sizes and finishing for matmul kernels. Elementwise ops lower their
 * scalar arithmetic themselves ({@code Elementwise.emit}); this class only arranges the loops around it.
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
        if (n.op() instanceof MatMul || n.op() instanceof FusedMatMul || n.op() instanceof SgdUpdate) {
            boolean update = n.op() instanceof SgdUpdate;
            MatMulKernel.Spec one = matmul(n, lanes, MatMulKernel.Cut.NONE, 0, 0);
            if (update) {
                params.remove(0); // the variable is the output, not an input
            }
            if (splitsK(one, k.inputs().get(update ? 2 : 1), lanes)) {
                // one unit per piece: every unit reads all of its piece of b, so smaller units would cost more
                // calls, and a thread taking another's unit would read that thread's rows of b for little work
                MatMulKernel.Spec spec = matmul(n, lanes, MatMulKernel.Cut.K_UNITS, PIECES, 1);
                return new Code(params, g -> MatMulKernel.emit(g, spec, owner), MatMulKernel.workspace(spec),
                        new Range(PIECES, 1, PIECES, 1, threads > 1), g -> MatMulKernel.emitSum(g, spec, owner));
            }
            boolean share = threads > 1 && (long) one.m() * one.n() * one.k() >= PARALLEL_WORK
                    && !VectorMatMul.transposesB(one) && one.m() >= 2 * threads;
            // an update's rows are its variable's: owned, in the pieces of the products reading it
            int chunks = chunks(one.m() / PIECES);
            MatMulKernel.Spec spec = !share ? one : update ? matmul(n, lanes, MatMulKernel.Cut.ROW_UNITS, PIECES, chunks)
                    : matmul(n, lanes, MatMulKernel.Cut.ROWS, 0, 0);
            Range range = !share ? null : update ? new Range(PIECES * chunks, 1, PIECES, chunks, true)
                    : new Range(spec.m(), lanes > 0 ? VectorMatMul.ROWS : 1, 0, 0, true);
            return new Code(params, g -> MatMulKernel.emit(g, spec, owner), MatMulKernel.workspace(spec), range, null);
        }
        LoopKernel.Spec spec = loop(n, k.inputs());
        return new Code(params, g -> LoopKernel.emit(g, spec));
    }

    private static MatMulKernel.Spec matmul(Node n, int lanes, MatMulKernel.Cut cut, int pieces, int chunks) {
        if (n.op() instanceof SgdUpdate u) {
            return product(n.input(1), n.input(2), u.transposeA(), u.transposeB(), MatMulKernel.Finish.UPDATE, null,
                    new int[0][], u.rate(), lanes, cut, pieces, chunks);
        }
        if (n.op() instanceof MatMul m) {
            return product(n.input(0), n.input(1), m.transposeA(), m.transposeB(), MatMulKernel.Finish.STORE, null,
                    new int[0][], 0f, lanes, cut, pieces, chunks);
        }
        FusedMatMul f = (FusedMatMul) n.op();
        int[][] extras = new int[n.inputs().size() - 2][];
        for (int x = 0; x < extras.length; x++) {
            int[] st = Broadcast.stridesFor(n.input(2 + x).shape(), n.shape());
            extras[x] = st;
        }
        return product(n.input(0), n.input(1), f.transposeA(), f.transposeB(), MatMulKernel.Finish.EPILOGUE,
                f.epilogue(), extras, 0f, lanes, cut, pieces, chunks);
    }

    private static MatMulKernel.Spec product(Node a, Node b, boolean ta, boolean tb, MatMulKernel.Finish finish,
            ScalarExpr epilogue, int[][] extras, float rate, int lanes, MatMulKernel.Cut cut, int pieces, int chunks) {
        int m = ta ? a.shape().dim(1) : a.shape().dim(0);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        int n = tb ? b.shape().dim(0) : b.shape().dim(1);
        return new MatMulKernel.Spec(m, n, k, ta, tb, finish, epilogue, extras, rate, lanes, cut, pieces, chunks);
    }

    private static LoopKernel.Spec loop(Node n, List<Buffer> inputs) {
        Shape out = n.shape();
        if (n.op() instanceof Elementwise e) {
            List<ScalarExpr> args = new ArrayList<>();
            List<int[]> strides = new ArrayList<>();
            for (int i = 0; i < n.inputs().size(); i++) {
                Node in = n.input(i);
                if (inputs.get(i) == null) {
                    args.add(new ScalarExpr.Const(((Fill) in.op()).value()));
                } else {
                    args.add(new ScalarExpr.Arg(strides.size()));
                    strides.add(Broadcast.stridesFor(in.shape(), out));
                }
            }
            return elementwise(out, new ScalarExpr.Apply(e, args), strides.toArray(new int[0][]));
        }
        if (n.op() instanceof FusedElementwise f) {
            return elementwise(out, f.expr(), broadcastStrides(n.inputs(), out));
        }
        if (n.op() instanceof Transpose t) {
            int[] in = n.input(0).shape().strides();
            int[] st = new int[t.perm().length];
            for (int d = 0; d < st.length; d++) {
                st[d] = in[t.perm()[d]];
            }
            return elementwise(out, new ScalarExpr.Arg(0), new int[][] {st});
        }
        if (n.op() instanceof BroadcastLike bl) {
            Shape kept = Reduction.reducedShape(out, bl.axes(), true);
            ScalarExpr x = new ScalarExpr.Arg(0);
            if (bl.mean()) {
                x = new ScalarExpr.Apply(new Div(), List.of(x, new ScalarExpr.Const(Reduction.count(out, bl.axes()))));
            }
            return elementwise(out, x, new int[][] {Broadcast.stridesFor(kept, out)});
        }
        if (n.op() instanceof ReduceSum r) {
            return reduce(n.input(0).shape(), r.axes(), new ScalarExpr.Arg(0), new int[][] {n.input(0).shape().strides()}, 0f, out);
        }
        if (n.op() instanceof ReduceMean r) {
            Shape in = n.input(0).shape();
            return reduce(in, r.axes(), new ScalarExpr.Arg(0), new int[][] {in.strides()}, Reduction.count(in, r.axes()), out);
        }
        if (n.op() instanceof SumLike) {
            Shape g = n.input(0).shape();
            return reduce(g, SumLike.axes(g, out), new ScalarExpr.Arg(0), new int[][] {g.strides()}, 0f, out);
        }
        if (n.op() instanceof FusedReduce f) {
            Shape space = Shape.SCALAR;
            for (Node in : n.inputs()) {
                space = Broadcast.shape(space, in.shape());
            }
            float divisor = f.mean() ? Reduction.count(space, f.axes()) : 0f;
            return reduce(space, f.axes(), f.expr(), broadcastStrides(n.inputs(), space), divisor, out);
        }
        throw new IllegalStateException("no lowering for " + n.op().name());
    }

    private static int[][] broadcastStrides(List<Node> inputs, Shape space) {
        int[][] st = new int[inputs.size()][];
        for (int i = 0; i < st.length; i++) {
            st[i] = Broadcast.stridesFor(inputs.get(i).shape(), space);
        }
        return st;
    }

    private static LoopKernel.Spec elementwise(Shape out, ScalarExpr expr, int[][] argStrides) {
        return new LoopKernel.Spec(out.dims(), out.strides(), argStrides, expr, 0f, out.size());
    }

    private static LoopKernel.Spec reduce(Shape space, int[] axes, ScalarExpr expr, int[][] argStrides, float divisor,
            Shape out) {
        int[] outStrides = Reduction.reducedShape(space, axes, true).strides();
        for (int a : axes) {
            outStrides[a] = 0;
        }
        return new LoopKernel.Spec(space.dims(), outStrides, argStrides, expr, divisor, out.size());
    }
}
