package dev.kiln.codegen;

import dev.kiln.runtime.VectorKernels;
import dev.kiln.ops.Kernel;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.ops.VectorForm;
import dev.kiln.runtime.WorkerPool;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * The vector backend's matrix products on one thread: the generated kernel calls the shared kernels of
 * {@link VectorKernels} with its shapes as constants, so the code that runs is compiled by C2 once per JVM,
 * early ({@link dev.kiln.runtime.Warmup}), instead of once per graph after seconds in the interpreter.
 * The arithmetic is the vector kernels' ({@link VectorMatMul}): every element the fused multiply-add chain
 * of its products in k order from 0; a product read from a variable is summed in the same pieces of k,
 * added in order; b transposed is first copied into the workspace. So a class compiled this way and one
 * whose products are shared between threads compute the same bits. Epilogues other than relu are applied
 * to the stored sums afterwards, with the same exact operations: a bias, a bias then relu and relu's
 * gradient mask by the kernels' vector pass ({@link VectorKernels#finish}), any other one element at a time.
 */
final class LibraryMatMul {
    private static final Type KERNELS = Type.getType(VectorKernels.class);
    private static final Method GEMM = new Method("gemm", "([FIII[FII[FIIIIIIF)V");
    private static final Method PADDED = new Method("padded", "([FIIII[FI)V");
    private static final Method TRANSPOSED = new Method("transposed", "([FIII[FII)V");
    private static final Method SUM_PIECES = new Method("sumPieces", "([FIII[FIIIIIF)V");
    private static final Method FINISH = new Method("finish", "([FIIIII[FII)V");

    private final ProductFrame m;
    private final MatMulKernel.Spec s;
    private final GeneratorAdapter g;

    private LibraryMatMul(ProductFrame m) {
        this.m = m;
        this.s = m.s;
        this.g = m.g;
    }

    /**
     * True when this product is computed by library calls: on the vector backend, a product computed
     * whole; in pieces of k (each unit a piece, whichever thread runs it); or by rows shared between
     * threads. Shared by pieces or rows, b must be read as it is: several threads copying it into one
     * workspace would race, so those products keep their generated kernels ({@link VectorMatMul}).
     */
    static boolean applies(MatMulKernel.Spec s) {
        if (s.lanes() == 0) {
            return false;
        }
        return s.cut() == MatMulKernel.Cut.NONE
                || s.cut() == MatMulKernel.Cut.K_UNITS && s.chunks() == 1 && !copiesB(s)
                || s.rowRange() && !copiesB(s);
    }

    /** True when the kernels read a copy of b: transposed, or padded to a whole vector. */
    private static boolean copiesB(MatMulKernel.Spec s) {
        return s.tb() || s.n() < s.lanes();
    }

    /** The row length of b's copy. */
    private static int bWidth(MatMulKernel.Spec s) {
        return Math.max(s.n(), s.lanes());
    }

    /** Where the pieces' sums start in the workspace: after the copy of b, if any. */
    private static int piecesAt(MatMulKernel.Spec s) {
        return copiesB(s) ? s.k() * bWidth(s) : 0;
    }

    /**
     * Floats of workspace: the copy of b, then each piece's sums; for an optimizer's step, its gradient's
     * blocks ({@link MatMulKernel#stepFloats}) and then the copy of b.
     */
    static int workspace(MatMulKernel.Spec s) {
        if (s.finish() == Kernel.Finish.UPDATES) {
            return MatMulKernel.stepFloats(s) + piecesAt(s);
        }
        return piecesAt(s) + (s.splitsK() ? s.pieces() * s.m() * s.n() : 0);
    }

    /** Where the copy of b starts in the workspace: after an optimizer step's gradient, else at 0. */
    private static int bAt(MatMulKernel.Spec s) {
        return s.finish() == Kernel.Finish.UPDATES ? MatMulKernel.stepFloats(s) : 0;
    }

    static void emit(ProductFrame m) {
        new LibraryMatMul(m).emit();
    }

    /** The second method of a product summed in pieces of k: the pieces added in order, then finished. */
    static void emitSum(ProductFrame m) {
        new LibraryMatMul(m).emitSum();
    }

    private void emitSum() {
        g.loadArg(workspaceParam());
        g.push(piecesAt(s));
        g.push(s.pieces());
        g.push(s.m() * s.n());
        g.loadArg(m.outParam);
        g.push(0);
        g.push(s.n());
        g.push(s.m());
        g.push(s.n());
        g.push(mode());
        g.push(rate());
        g.invokeStatic(KERNELS, SUM_PIECES);
        epilogue();
        g.returnValue();
    }

    private int workspaceParam() {
        return m.outParam + 1;
    }

    private void emit() {
        int bParam = 1;
        int ldb = s.n();
        if (s.tb()) {
            g.loadArg(1);
            g.push(0);
            g.push(s.n());
            g.push(s.k());
            g.loadArg(workspaceParam());
            g.push(bAt(s));
            g.push(bWidth(s));
            g.invokeStatic(KERNELS, TRANSPOSED);
        } else if (s.n() < s.lanes()) {
            g.loadArg(1);
            g.push(0);
            g.push(s.n());
            g.push(s.k());
            g.push(s.n());
            g.loadArg(workspaceParam());
            g.push(bAt(s));
            g.invokeStatic(KERNELS, PADDED);
        }
        if (copiesB(s)) {
            bParam = workspaceParam();
            ldb = bWidth(s);
        }
        if (s.splitsK()) { // the units from .. to - 1, each a piece of k, its sums left in the workspace
            int at = piecesAt(s);
            for (int p = 0; p < s.pieces(); p++) {
                int k0 = WorkerPool.pieceBound(s.k(), s.pieces(), p);
                int k1 = WorkerPool.pieceBound(s.k(), s.pieces(), p + 1);
                org.objectweb.asm.Label skip = g.newLabel();
                g.push(p);
                g.loadLocal(m.fromRow);
                g.ifICmp(GeneratorAdapter.LT, skip);
                g.push(p);
                g.loadLocal(m.toRow);
                g.ifICmp(GeneratorAdapter.GE, skip);
                gemm(k0 * aks(), bParam, k0 * ldb, ldb, workspaceParam(), at + p * s.m() * s.n(), k1 - k0,
                        VectorKernels.STORE, 0f);
                g.mark(skip);
            }
            g.returnValue();
            return;
        }
        if (s.finish() == Kernel.Finish.UPDATES) {
            stepInBlocks(bParam, ldb);
            g.returnValue();
            return;
        }
        if (s.rowRange()) { // rows from .. to - 1: a's and c's rows from there on, to - from of them
            gemm(() -> fromTimes(ars()), bParam, 0, ldb, m.outParam, () -> fromTimes(s.n()), () -> {
                g.loadLocal(m.toRow);
                g.loadLocal(m.fromRow);
                g.math(GeneratorAdapter.SUB, Type.INT_TYPE);
            }, s.k(), mode(), rate());
        } else {
            gemm(0, bParam, 0, ldb, m.outParam, 0, s.k(), mode(), rate());
        }
        epilogue();
        g.returnValue();
    }

    /**
     * An optimizer's step whose gradient is this product: {@link MatMulKernel#stepRows} rows of the gradient
     * at a time summed by the kernels into the workspace (at the variables' positions), then stepped
     * ({@link ProductFrame#stepInBlocks}), which writes the variable and its slots in place.
     */
    private void stepInBlocks(int bParam, int ldb) {
        m.stepInBlocks(() -> gemm(() -> fromTimes(ars()), bParam, copiesB(s) ? bAt(s) : 0, ldb, workspaceParam(),
                () -> fromTimes(s.n()), () -> {
                    g.loadLocal(m.toRow);
                    g.loadLocal(m.fromRow);
                    g.math(GeneratorAdapter.SUB, Type.INT_TYPE);
                }, s.k(), VectorKernels.STORE, 0f));
    }

    /** Pushes where row {@code from} starts, rows being {@code factor} apart: 0 unless the kernel computes a row range. */
    private void pushFromTimes(int factor) {
        if (s.rowRange()) {
            fromTimes(factor);
        } else {
            g.push(0);
        }
    }

    /** Pushes how many rows the kernel computes. */
    private void pushRows() {
        if (s.rowRange()) {
            g.loadLocal(m.toRow);
            g.loadLocal(m.fromRow);
            g.math(GeneratorAdapter.SUB, Type.INT_TYPE);
        } else {
            g.push(s.m());
        }
    }

    /** Pushes {@code from * factor}, from being the first row the kernel computes. */
    private void fromTimes(int factor) {
        g.loadLocal(m.fromRow);
        g.push(factor);
        g.math(GeneratorAdapter.MUL, Type.INT_TYPE);
    }

    private void gemm(int aOff, int bParam, int bOff, int ldb, int cParam, int cOff, int k, int mode, float rate) {
        gemm(() -> g.push(aOff), bParam, bOff, ldb, cParam, () -> g.push(cOff), () -> g.push(s.m()), k, mode, rate);
    }

    /** A call of the kernels' gemm; {@code aOff}, {@code cOff} and {@code rows} push a's and c's first elements and the rows. */
    private void gemm(Runnable aOff, int bParam, int bOff, int ldb, int cParam, Runnable cOff, Runnable rows, int k,
            int mode, float rate) {
        g.loadArg(0);
        aOff.run();
        g.push(ars()); // a's stride along its rows ...
        g.push(aks()); // ... and along k
        g.loadArg(bParam);
        g.push(bOff);
        g.push(ldb);
        g.loadArg(cParam);
        cOff.run();
        g.push(s.n());
        rows.run();
        g.push(s.n());
        g.push(k);
        g.push(mode);
        g.push(rate);
        g.invokeStatic(KERNELS, GEMM);
    }

    /** a's stride along its rows: K when a is row-major, 1 when it is transposed. */
    private int ars() {
        return s.ta() ? 1 : s.k();
    }

    /** a's stride along k: 1 when a is row-major, M when it is transposed. */
    private int aks() {
        return s.ta() ? s.m() : 1;
    }

    /** The update's rate, for the kernels' finishing (0 when it is not an update). */
    private float rate() {
        return s.finish() == Kernel.Finish.UPDATE ? s.rate() : 0f;
    }

    /** The kernels' finishing for this product: an update, relu, or none (any other epilogue follows). */
    private int mode() {
        return switch (s.finish()) {
            case UPDATE -> VectorKernels.UPDATE;
            case STORE, UPDATES -> VectorKernels.STORE;
            case EPILOGUE -> isRelu(s.epilogue()) ? VectorKernels.RELU : VectorKernels.STORE;
        };
    }

    private static boolean isRelu(ScalarExpr e) {
        return e instanceof ScalarExpr.Apply ap && ap.op().vectorForm() instanceof VectorForm.MaxWith m
                && m.constant() == 0f && ap.args().size() == 1
                && ap.args().get(0) instanceof ScalarExpr.Arg a && a.index() == 0;
    }

    /**
     * The kernels' own pass for this product's epilogue ({@link VectorKernels#finish}), or -1: a bias
     * {@code add($0, $1)}, {@code relu(add($0, $1))}, or relu's gradient {@code mul($0, greater($1, 0))},
     * whose one extra operand runs along the columns (a row, or a matrix like the output).
     */
    static int vectorEpilogue(MatMulKernel.Spec s) {
        if (s.finish() != Kernel.Finish.EPILOGUE || s.extras() != 1 || s.extraStrides()[0][1] != 1) {
            return -1;
        }
        ScalarExpr e = s.epilogue();
        if (isAddOfArgs(e)) {
            return VectorKernels.ADD;
        }
        if (e instanceof ScalarExpr.Apply ap && ap.op().vectorForm() instanceof VectorForm.MaxWith mw
                && mw.constant() == 0f && ap.args().size() == 1 && isAddOfArgs(ap.args().get(0))) {
            return VectorKernels.ADD_RELU;
        }
        if (e instanceof ScalarExpr.Apply ap && binary(ap, "mul") && isArg(ap.args().get(0), 0)
                && ap.args().get(1) instanceof ScalarExpr.Apply gt
                && gt.op().vectorForm() instanceof VectorForm.Compare c && c.comparison().equals("GT")
                && gt.args().size() == 2 && isArg(gt.args().get(0), 1)
                && gt.args().get(1) instanceof ScalarExpr.Const k && k.value() == 0f) {
            return VectorKernels.MASK;
        }
        return -1;
    }

    private static boolean isAddOfArgs(ScalarExpr e) {
        return e instanceof ScalarExpr.Apply ap && binary(ap, "add") && isArg(ap.args().get(0), 0) && isArg(ap.args().get(1), 1);
    }

    private static boolean binary(ScalarExpr.Apply ap, String method) {
        return ap.op().vectorForm() instanceof VectorForm.Binary b && b.method().equals(method) && ap.args().size() == 2;
    }

    private static boolean isArg(ScalarExpr e, int index) {
        return e instanceof ScalarExpr.Arg a && a.index() == index;
    }

    /**
     * When the product has an epilogue the kernels do not apply while finishing (anything but relu), every
     * stored sum through it, in place: by the kernels' vector pass when they have it, else one element at
     * a time.
     */
    private void epilogue() {
        if (s.finish() != Kernel.Finish.EPILOGUE || mode() != VectorKernels.STORE) {
            return;
        }
        int kind = vectorEpilogue(s);
        if (kind >= 0) {
            int lde = s.extraStrides()[0][0];
            g.loadArg(m.outParam);
            pushFromTimes(s.n());
            g.push(s.n());
            pushRows();
            g.push(s.n());
            g.push(kind);
            g.loadArg(2);
            pushFromTimes(lde);
            g.push(lde);
            g.invokeStatic(KERNELS, FINISH);
            return;
        }
        Emitter e = m.e;
        int i = e.newInt();
        int j = e.newInt();
        int sum = e.newFloat();
        if (s.rowRange()) {
            e.loopLocals(i, m.fromRow, m.toRow, 0, 1, () -> m.finishStoredRow(i, j, sum));
        } else {
            e.loop(i, 0, s.m(), 1, () -> m.finishStoredRow(i, j, sum));
        }
    }
}
