package dev.kiln.codegen;

import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Emits the copy of a transposed b into a product's workspace, for the vector products that read b's
 * rows as vectors.
 */
final class TransposedCopy {
    /** Rows and columns of b copied together by {@link #emit}. */
    private static final int TILE = 16;

    private TransposedCopy() {}

    /**
     * {@code workspace[k*N + j] = b[j*K + k]}: b (argument 1, N × K) laid out as K × N in argument
     * {@code bParam}, in tiles of {@value #TILE} × {@value #TILE}. Copied row by row instead, the writes run down a column of the workspace: with N = 256
     * they are 1 KB apart, all in 4 of the L1 cache's 64 sets, so nearly every one missed the cache, and
     * the copy took three times as long as the product (in the four-layer MLP's backward pass, 40% of
     * the step). A tile's 16 rows of each stay in the cache while it is copied.
     */
    static void emit(GeneratorAdapter g, Emitter e, int bParam, int n, int k) {
        int jb = e.newInt();
        int kb = e.newInt();
        int jEnd = e.newInt();
        int kEnd = e.newInt();
        int j = e.newInt();
        int kk = e.newInt();
        e.loop(jb, 0, n, TILE, () -> {
            min(g, e, jb, n, jEnd);
            e.loop(kb, 0, k, TILE, () -> {
                min(g, e, kb, k, kEnd);
                e.loopLocals(j, jb, jEnd, 0, 1, () -> e.loopLocals(kk, kb, kEnd, 0, 1, () -> {
                    g.loadArg(bParam);
                    e.index(j, kk, n, 0);
                    g.loadArg(1);
                    e.index(kk, j, k, 0);
                    e.faload();
                    e.fastore();
                }));
            });
        });
    }

    /** {@code into = min(start + TILE, end)}. */
    private static void min(GeneratorAdapter g, Emitter e, int start, int end, int into) {
        e.index(-1, start, 1, TILE);
        g.push(end);
        g.invokeStatic(Type.getType(Math.class), new org.objectweb.asm.commons.Method("min", "(II)I"));
        g.storeLocal(into);
    }
}
