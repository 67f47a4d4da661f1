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
    record Code(List<Buffer> params, Consumer<GeneratorAdapter> body, int workspace, ProductCuts.Range range,
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
     * How {@code k} is generated; {@code lanes} floats per vector for the vector backend (0: scalar), and
     * a product cut between {@code threads} as {@link ProductCuts} decides.
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
        if (kernel instanceof Kernel.Updates updates) {
            return new Code(params, g -> UpdateKernel.emit(g, updates));
        }
        if (!(kernel instanceof Kernel.Product p)) {
            throw new IllegalStateException("no kernel to run for " + n.op().name() + " (its value is "
                    + n.op().storage().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        boolean update = p.finish() == Kernel.Finish.UPDATE;
        if (update) {
            params.remove(0); // the variable is the output, not an input
        }
        if (p.finish() == Kernel.Finish.UPDATES) {
            // a and b first, as every product takes them, then the step's operands (the variables first);
            // on one thread: each element of the gradient is finished where it is summed
            params.clear();
            params.add(k.inputs().get(p.a()));
            params.add(k.inputs().get(p.b()));
            params.addAll(k.inputs().subList(0, p.a()));
            params.add(k.output());
            if (params.contains(null)) {
                throw new IllegalStateException("an operand of " + n.describe() + " has no array");
            }
            MatMulKernel.Spec spec = matmul(n, p, lanes, MatMulKernel.Cut.NONE, 0, 0);
            return new Code(params, g -> MatMulKernel.emit(g, spec, owner), MatMulKernel.workspace(spec), null, null);
        }
        ProductCuts.Cut cut = ProductCuts.cut(matmul(n, p, lanes, MatMulKernel.Cut.NONE, 0, 0),
                k.inputs().get(p.b()), update, lanes, threads);
        MatMulKernel.Spec spec = matmul(n, p, lanes, cut.kind(), cut.pieces(), cut.chunks());
        return new Code(params, g -> MatMulKernel.emit(g, spec, owner), MatMulKernel.workspace(spec), cut.range(),
                spec.splitsK() ? g -> MatMulKernel.emitSum(g, spec, owner) : null);
    }

    /** The generator's description of product {@code p} of node {@code n}, cut as given. */
    private static MatMulKernel.Spec matmul(Node n, Kernel.Product p, int lanes, MatMulKernel.Cut cut, int pieces,
            int chunks) {
        Shape a = n.input(p.a()).shape();
        Shape b = n.input(p.b()).shape();
        int m = p.transposeA() ? a.dim(1) : a.dim(0);
        int k = p.transposeA() ? a.dim(0) : a.dim(1);
        int cols = p.transposeB() ? b.dim(0) : b.dim(1);
        int[][] extras = p.extraStrides();
        if (p.finish() == Kernel.Finish.UPDATES) { // the step's operands, each the result's shape or a scalar
            extras = new int[p.a()][];
            for (int i = 0; i < p.a(); i++) {
                extras[i] = p.updates().scalar()[i] ? new int[] {0, 0} : new int[] {cols, 1};
            }
        }
        return new MatMulKernel.Spec(m, cols, k, p.transposeA(), p.transposeB(), p.finish(), p.epilogue(), extras,
                p.rate(), p.updates(), lanes, cut, pieces, chunks);
    }
}
