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
     */
    record Code(List<Buffer> params, Consumer<GeneratorAdapter> body, int workspace, int parallelRows, int align) {
        Code(List<Buffer> params, Consumer<GeneratorAdapter> body) {
            this(params, body, 0, 0, 1);
        }

        /** True when the rows are shared between threads: the method then takes (from, to) after the arrays. */
        boolean parallel() {
            return parallelRows > 0;
        }

        /** Number of array parameters, the workspace included. */
        int arity() {
            return params.size() + (workspace > 0 ? 1 : 0);
        }
    }

    /** Multiply-adds below which a product is not worth sharing between threads. */
    static final long PARALLEL_WORK = 1L << 20;

    /**
     * How {@code k} is generated; {@code lanes} floats per vector for the vector backend (0: scalar);
     * with {@code threads} above 1, large products (whose b needs no transposed copy) share their rows.
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
            MatMulKernel.Spec one = matmul(n, lanes, false);
            boolean share = threads > 1 && (long) one.m() * one.n() * one.k() >= PARALLEL_WORK
                    && !VectorMatMul.transposesB(one) && one.m() >= 2 * threads;
            MatMulKernel.Spec spec = share ? matmul(n, lanes, true) : one;
            if (n.op() instanceof SgdUpdate) {
                params.remove(0); // the variable is the output, not an input
            }
            return new Code(params, g -> MatMulKernel.emit(g, spec, owner), VectorMatMul.workspace(spec),
                    share ? spec.m() : 0, lanes > 0 ? VectorMatMul.ROWS : 1);
        }
        LoopKernel.Spec spec = loop(n, k.inputs());
        return new Code(params, g -> LoopKernel.emit(g, spec));
    }

    private static MatMulKernel.Spec matmul(Node n, int lanes, boolean rowRange) {
        if (n.op() instanceof SgdUpdate u) {
            return product(n.input(1), n.input(2), u.transposeA(), u.transposeB(), MatMulKernel.Finish.UPDATE, null,
                    new int[0][], u.rate(), lanes, rowRange);
        }
        if (n.op() instanceof MatMul m) {
            return product(n.input(0), n.input(1), m.transposeA(), m.transposeB(), MatMulKernel.Finish.STORE, null,
                    new int[0][], 0f, lanes, rowRange);
        }
        FusedMatMul f = (FusedMatMul) n.op();
        int[][] extras = new int[n.inputs().size() - 2][];
        for (int x = 0; x < extras.length; x++) {
            int[] st = Broadcast.stridesFor(n.input(2 + x).shape(), n.shape());
            extras[x] = st;
        }
        return product(n.input(0), n.input(1), f.transposeA(), f.transposeB(), MatMulKernel.Finish.EPILOGUE,
                f.epilogue(), extras, 0f, lanes, rowRange);
    }

    private static MatMulKernel.Spec product(Node a, Node b, boolean ta, boolean tb, MatMulKernel.Finish finish,
            ScalarExpr epilogue, int[][] extras, float rate, int lanes, boolean rowRange) {
        int m = ta ? a.shape().dim(1) : a.shape().dim(0);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        int n = tb ? b.shape().dim(0) : b.shape().dim(1);
        return new MatMulKernel.Spec(m, n, k, ta, tb, finish, epilogue, extras, rate, lanes, rowRange);
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
