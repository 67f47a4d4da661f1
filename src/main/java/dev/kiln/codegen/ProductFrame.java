package dev.kiln.codegen;

import dev.kiln.ops.Kernel;
import dev.kiln.runtime.WorkerPool;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * What every matrix-product kernel shares, whichever backend emits it: the method's parameters (a, b,
 * the epilogue's extra operands, the output, the workspace, the range), the rows it computes as two int
 * locals, loading an element of a, and finishing an element (stored, through the epilogue, or applied to
 * the variable) one at a time. {@link ScalarMatMul}, {@link VectorMatMul} and {@link LibraryMatMul} each
 * emit their loops around it.
 */
final class ProductFrame {
    /**
     * The first row to compute and the row to stop before, as int locals (for a product summed in pieces:
     * the first k and the k to stop before).
     */
    final int fromRow;
    final int toRow;

    final GeneratorAdapter g;
    final Emitter e;
    final MatMulKernel.Spec s;
    private final ScalarCodegen epilogue;
    /** For {@link Kernel.Finish#UPDATES}: each variable's new value, and the local holding it. */
    private final ScalarCodegen[] steps;
    private final int[] stepped;
    final int outParam;

    /** {@code ranged}: the method takes the range after its arrays, when the spec asks for one. */
    ProductFrame(GeneratorAdapter g, MatMulKernel.Spec s, boolean ranged) {
        this.g = g;
        this.e = new Emitter(g);
        this.s = s;
        this.epilogue = s.finish() == Kernel.Finish.EPILOGUE ? new ScalarCodegen(g, s.epilogue()) : null;
        Kernel.Updates u = s.updates();
        this.steps = new ScalarCodegen[u == null ? 0 : u.states()];
        this.stepped = new int[steps.length];
        for (int j = 0; j < steps.length; j++) {
            steps[j] = new ScalarCodegen(g, u.values().get(j));
            stepped[j] = e.newFloat();
        }
        this.outParam = 2 + s.extras();
        this.fromRow = e.newInt();
        this.toRow = e.newInt();
        if (ranged && s.cut() != MatMulKernel.Cut.NONE) {
            int arrays = outParam + 1 + (MatMulKernel.workspace(s) > 0 ? 1 : 0);
            g.loadArg(arrays);
            if (s.cut() == MatMulKernel.Cut.ROW_UNITS) {
                unitStart(s.m());
            }
            g.storeLocal(fromRow);
            g.loadArg(arrays + 1);
            if (s.cut() == MatMulKernel.Cut.ROW_UNITS) {
                unitStart(s.m());
            }
            g.storeLocal(toRow);
        } else {
            g.push(0);
            g.storeLocal(fromRow);
            g.push(s.m());
            g.storeLocal(toRow);
        }
    }

    /** {@code u -> } the first of {@code rows} rows in unit u ({@link WorkerPool#unitStart}). */
    void unitStart(int rows) {
        g.push(rows);
        g.push(s.pieces());
        g.push(s.chunks());
        g.invokeStatic(Type.getType(WorkerPool.class), new org.objectweb.asm.commons.Method("unitStart", "(IIII)I"));
    }

    /**
     * Pushes {@code a[i + row, k + kOffset]} ({@code row} and {@code kOffset} constants): {@code a[k*M + i]}
     * when a is transposed, else {@code a[i*K + k]}.
     */
    void loadA(int i, int row, int k, int kOffset) {
        g.loadArg(0);
        if (s.ta()) {
            e.index(i, k, s.m(), kOffset * s.m() + row);
        } else {
            e.index(-1, i, s.k(), row * s.k() + kOffset);
            e.index(-1, k, 1, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        }
        e.faload();
    }

    /** Finishes element (i, j + col) whose sum of products is in float local {@code v}; j may be -1 (column col). */
    void finish(int i, int j, int col, int v) {
        int n = s.n();
        if (s.finish() == Kernel.Finish.UPDATES) { // into the workspace, at its position; stepBlock() steps the block
            g.loadArg(outParam + 1);
            pushOffset(i, j, col, n, 1);
            g.loadLocal(v);
            e.fastore();
            return;
        }
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

    /**
     * An optimizer's step, a block of rows at a time ({@link MatMulKernel#stepRows}): {@code sumRows} sums rows
     * {@code fromRow .. toRow - 1} of the gradient into the workspace, then {@link #stepBlock} steps them. A
     * last block shorter than the vector kernels' 6 rows is joined to the one before (the kernels would take
     * its rows one at a time).
     */
    void stepInBlocks(Runnable sumRows) {
        int block = MatMulKernel.stepRows(s);
        int rest = s.m() % block;
        int mr = dev.kiln.runtime.VectorKernels.MR;
        int lastStart = s.m() - (rest == 0 ? block : rest >= mr ? rest : block + rest);
        org.objectweb.asm.Label head = g.newLabel();
        org.objectweb.asm.Label done = g.newLabel();
        org.objectweb.asm.Label last = g.newLabel();
        org.objectweb.asm.Label ready = g.newLabel();
        g.push(0);
        g.storeLocal(fromRow);
        g.mark(head);
        g.loadLocal(fromRow);
        g.push(s.m());
        g.ifICmp(GeneratorAdapter.GE, done);
        g.loadLocal(fromRow); // to = from < lastStart ? from + block : M
        g.push(lastStart);
        g.ifICmp(GeneratorAdapter.GE, last);
        g.loadLocal(fromRow);
        g.push(block);
        g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
        g.storeLocal(toRow);
        g.goTo(ready);
        g.mark(last);
        g.push(s.m());
        g.storeLocal(toRow);
        g.mark(ready);
        sumRows.run();
        stepBlock();
        g.loadLocal(toRow);
        g.storeLocal(fromRow);
        g.goTo(head);
        g.mark(done);
    }

    /**
     * The optimizer's step over the block of rows {@code fromRow .. toRow - 1}, whose sums {@link #finish}
     * left in the workspace at their own positions: one loop over the block's elements, every array read and
     * written at the same index, the shape of loop C2 vectorizes (the arrays might be one another, so it
     * does not when they are read at different offsets: a small workspace holding only the block, or the
     * variables' blocks copied next to it, cost about twice the unfused update). Each element: every
     * variable's new value into a local (each may read those before it), then all stored. A scalar operand
     * is read once, into a local; the step's last argument is the gradient.
     */
    private void stepBlock() {
        Kernel.Updates u = s.updates();
        int operands = u.inputs() - 1;
        int[] hoisted = new int[operands];
        for (int arg = 0; arg < operands; arg++) {
            hoisted[arg] = -1;
            if (s.extraStrides()[arg][1] == 0) {
                hoisted[arg] = e.newFloat();
                g.loadArg(2 + arg);
                g.push(0);
                e.faload();
                g.storeLocal(hoisted[arg]);
            }
        }
        int first = e.newInt();
        int end = e.newInt();
        int x = e.newInt();
        g.loadLocal(fromRow);
        g.push(s.n());
        g.math(GeneratorAdapter.MUL, Type.INT_TYPE);
        g.storeLocal(first);
        g.loadLocal(toRow);
        g.push(s.n());
        g.math(GeneratorAdapter.MUL, Type.INT_TYPE);
        g.storeLocal(end);
        e.loopLocals(x, first, end, 0, 1, () -> {
            for (int k = 0; k < steps.length; k++) {
                steps[k].emit(arg -> {
                    if (arg >= u.inputs()) {
                        g.loadLocal(stepped[arg - u.inputs()]);
                    } else if (arg < operands && hoisted[arg] >= 0) {
                        g.loadLocal(hoisted[arg]);
                    } else {
                        g.loadArg(arg == operands ? outParam + 1 : 2 + arg);
                        g.loadLocal(x);
                        e.faload();
                    }
                });
                g.storeLocal(stepped[k]);
            }
            for (int k = 0; k < steps.length; k++) {
                g.loadArg(2 + k);
                g.loadLocal(x);
                g.loadLocal(stepped[k]);
                e.fastore();
            }
        });
    }

    /**
     * Row i (int local) of sums already stored in the output, passed through the epilogue in place, one
     * element at a time; {@code j} and {@code sum} are an int and a float local it may use.
     */
    void finishStoredRow(int i, int j, int sum) {
        e.loop(j, 0, s.n(), 1, () -> {
            g.loadArg(outParam);
            e.index(-1, i, s.n(), 0);
            e.index(-1, j, 1, 0);
            g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            e.faload();
            g.storeLocal(sum);
            finish(i, j, 0, sum);
        });
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
