package dev.kiln.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products over the Vector API, shared by every compiled graph: the generated class passes its
 * shapes, offsets and strides as constants. Being the same few methods for every graph, C2 compiles them
 * once per JVM, early, from a warm-up on tiny problems ({@link Warmup}), instead of once per graph after
 * seconds of interpreted calls (a long generated kernel of Vector API code runs in the bytecode
 * interpreter, where every vector operation allocates, until C2 gets to it).
 *
 * <p>Every element of a product is the fused multiply-add chain of its products in k order, starting from
 * 0, whatever the blocking; lanes are independent columns, so no result depends on the vector length, on
 * whether C2 has compiled the code yet, or on the thread count. Finishing ({@link #STORE}, {@link #RELU},
 * {@link #UPDATE}) is applied to the complete sum.
 *
 * <p>Blocking: {@value #MR} rows by two vectors of columns keep 12 sums in vector registers while k runs
 * (one load per b vector and one broadcast per a element for every 12 fused multiply-adds); the last
 * block of rows is moved up to end at row m and the last vector to end at column n, overlapping their
 * neighbours, whose sums they repeat bit for bit, and finish only what their neighbours did not. A single
 * leftover vector of columns gets a block of its own; fewer than {@value #MR} rows go one at a time.
 */
public final class VectorKernels {
    /** Store the sums. */
    public static final int STORE = 0;
    /** Store {@code max(sum, 0)}. */
    public static final int RELU = 1;
    /** Subtract {@code sum * rate} from the element in place (an SGD update). */
    public static final int UPDATE = 2;

    /** {@link #finish}: {@code c + e}, a bias. */
    public static final int ADD = 0;
    /** {@link #finish}: {@code max(c + e, 0)}, a bias then relu. */
    public static final int ADD_RELU = 1;
    /** {@link #finish}: {@code c * (e > 0 ? 1 : 0)}, relu's gradient masked by its input. */
    public static final int MASK = 2;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    public static final int L = S.length();
    /** Rows per block. */
    public static final int MR = 6;
    private static final int TILE = 16;

    /**
     * Per thread, where a block that overlaps the one before leaves its sums for {@link #finishTile}: twelve
     * vectors, allocated once per thread (the pool's workers and the caller run kernels at once).
     */
    private static final ThreadLocal<float[]> TILES = ThreadLocal.withInitial(() -> new float[MR * 2 * L]);

    private VectorKernels() {}

    /** One element finished: the new value of {@code c} for the complete sum {@code s}. */
    private static float finished(float c, float s, int mode, float rate) {
        return mode == UPDATE ? c - s * rate : mode == RELU ? Math.max(s, 0f) : s;
    }

    /**
     * Finishes rows {@code r0 .. rows - 1} of a block's sums left in the tile (row r, vector v at
     * {@code (2r + v) * L}) into c: both vectors (one when {@code vectors} is 1, at j), the last one only in
     * lanes {@code lo .. hi - 1}.
     */
    private static void finishTile(float[] tile, int rows, int vectors, float[] c, int cr, int ldc, int j, int j1,
            int r0, int lo, int hi, int mode, float rate) {
        for (int r = r0; r < rows; r++) {
            for (int v = 0; v < vectors; v++) {
                boolean last = v == vectors - 1;
                int from = last ? lo : 0;
                int to = last ? hi : L;
                int at = cr + r * ldc + (v == 0 ? j : j1);
                for (int x = from; x < to; x++) {
                    float s = tile[(2 * r + v) * L + x];
                    c[at + x] = finished(c[at + x], s, mode, rate);
                }
            }
        }
    }

    /**
     * {@code c[cOff + i*ldc + j] = finish(sum over k of A(i,k) * b[bOff + k*ldb + j])} for i below m, j
     * below n, where {@code A(i,k) = a[aOff + i*ars + k*aks]} (a row-major a has {@code ars = K, aks = 1};
     * a transposed one {@code ars = 1, aks = M}). b's rows must hold at least {@link #L} readable floats
     * from column 0 ({@link #padded} copies a narrower b).
     */
    public static void gemm(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, int m, int n, int k, int mode, float rate) {
        float[] tile = TILES.get();
        int vectors = (n + L - 1) / L;
        int width = Math.max(n, L);
        int hi = Math.min(n, L); // lanes of a narrow row's only vector
        for (int v = 0; v < vectors; v += 2) {
            boolean pair = v + 1 < vectors;
            int j = pair ? v * L : Math.min(v * L, width - L);
            int j1 = pair ? Math.min(v * L + L, width - L) : j; // the last vector ends at column n
            int lo = (pair ? v * L + L : v * L) - j1; // its lanes the vector before finished
            if (m >= MR) {
                for (int i = 0; i < m; i += MR) {
                    int is = Math.min(i, m - MR); // the last block ends at row m
                    int ak = aOff + is * ars;
                    int cr = cOff + is * ldc;
                    if (pair) {
                        block6x2(a, ak, ars, aks, b, bOff, ldb, k, c, cr, ldc, j, j1, i - is, lo, hi, mode, rate, tile);
                    } else {
                        block6x1(a, ak, ars, aks, b, bOff, ldb, k, c, cr, ldc, j, i - is, lo, hi, mode, rate, tile);
                    }
                }
            } else {
                for (int i = 0; i < m; i++) {
                    int ak = aOff + i * ars;
                    int cr = cOff + i * ldc;
                    if (pair) {
                        block1x2(a, ak, ars, aks, b, bOff, ldb, k, c, cr, ldc, j, j1, 0, lo, hi, mode, rate, tile);
                    } else {
                        block1x1(a, ak, ars, aks, b, bOff, ldb, k, c, cr, ldc, j, 0, lo, hi, mode, rate, tile);
                    }
                }
            }
        }
    }

    /**
     * Copies the k × n matrix at {@code b[bOff + k*ldb + j]} into {@code ws[wsOff ..]} with rows of
     * {@link #L} floats, the columns past n zero, for {@link #gemm} when n is below the vector length.
     */
    public static void padded(float[] b, int bOff, int ldb, int k, int n, float[] ws, int wsOff) {
        for (int kk = 0; kk < k; kk++) {
            int row = wsOff + kk * L;
            System.arraycopy(b, bOff + kk * ldb, ws, row, n);
            java.util.Arrays.fill(ws, row + n, row + L, 0f);
        }
    }

    /**
     * {@code ws[wsOff + k*ld + j] = b[bOff + j*K + k]}: the n × K matrix b transposed into rows of ld
     * floats (columns n to ld - 1 zero), copied in 16 × 16 tiles so that neither side's accesses all fall
     * in a few sets of the L1 cache.
     */
    public static void transposed(float[] b, int bOff, int n, int kk, float[] ws, int wsOff, int ld) {
        for (int j0 = 0; j0 < n; j0 += TILE) {
            int j1 = Math.min(j0 + TILE, n);
            for (int k0 = 0; k0 < kk; k0 += TILE) {
                int k1 = Math.min(k0 + TILE, kk);
                for (int j = j0; j < j1; j++) {
                    int from = bOff + j * kk;
                    for (int k = k0; k < k1; k++) {
                        ws[wsOff + k * ld + j] = b[from + k];
                    }
                }
            }
        }
        if (ld > n) {
            for (int k = 0; k < kk; k++) {
                java.util.Arrays.fill(ws, wsOff + k * ld + n, wsOff + (k + 1) * ld, 0f);
            }
        }
    }

    /**
     * A product's epilogue over its stored sums, in place: {@code c(i,j) = f(c(i,j), e(i,j))} for i below m,
     * j below n, where {@code c(i,j) = c[cOff + i*ldc + j]}, {@code e(i,j) = e[eOff + i*lde + j]} (lde 0: a
     * row broadcast, such as a bias) and f is {@link #ADD}, {@link #ADD_RELU} or {@link #MASK}. Lane by lane
     * the same IEEE operations as the scalar epilogue, so the bits are the scalar code's.
     */
    public static void finish(float[] c, int cOff, int ldc, int m, int n, int kind, float[] e, int eOff, int lde) {
        int whole = n / L * L;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < m; i++) {
            int cr = cOff + i * ldc;
            int er = eOff + i * lde;
            for (int j = 0; j < whole; j += L) {
                FloatVector x = FloatVector.fromArray(S, c, cr + j);
                FloatVector y = FloatVector.fromArray(S, e, er + j);
                FloatVector r = kind == ADD ? x.add(y) : kind == ADD_RELU ? x.add(y).max(0f)
                        : x.mul(zero.blend(one, y.compare(VectorOperators.GT, 0f)));
                r.intoArray(c, cr + j);
            }
            for (int j = whole; j < n; j++) {
                float x = c[cr + j];
                float y = e[er + j];
                c[cr + j] = kind == ADD ? x + y : kind == ADD_RELU ? Math.max(x + y, 0f) : x * (y > 0f ? 1f : 0f);
            }
        }
    }

    /**
     * Finishes a product summed in pieces of k: {@code c(i,j) = finish(p0 + p1 + ...)}, the pieces' sums
     * ({@code ws[wsOff + p*stride + i*n + j]}) added in piece order.
     */
    public static void sumPieces(float[] ws, int wsOff, int pieces, int stride, float[] c, int cOff, int ldc,
            int m, int n, int mode, float rate) {
        int whole = n / L;
        for (int i = 0; i < m; i++) {
            int row = wsOff + i * n;
            int cr = cOff + i * ldc;
            for (int v = 0; v < whole; v++) {
                FloatVector s = FloatVector.fromArray(S, ws, row + v * L);
                for (int p = 1; p < pieces; p++) {
                    s = s.add(FloatVector.fromArray(S, ws, row + p * stride + v * L));
                }
                int off = cr + v * L;
                if (mode == UPDATE) {
                    s = FloatVector.fromArray(S, c, off).sub(s.mul(rate));
                } else if (mode == RELU) {
                    s = s.max(0f);
                }
                s.intoArray(c, off);
            }
            for (int j = whole * L; j < n; j++) {
                float s = ws[row + j];
                for (int p = 1; p < pieces; p++) {
                    s += ws[row + p * stride + j];
                }
                int off = cr + j;
                c[off] = finished(c[off], s, mode, rate);
            }
        }
    }

    /**
     * A block of 6 rows by 2 vectors of columns (at j and j1). When it overlaps
     * a block before ({@code r0} rows, or the last vector's first {@code lo} lanes) or is narrower than a
     * vector ({@code hi} below L), its sums go through the tile ({@link #finishTile}); else straight to c.
     * Longer than a method should be, on purpose: its twelve accumulators are named locals, written out
     * one by one, because C2 keeps locals in vector registers and would not keep an array's elements there.
     */
    private static void block6x2(float[] a, int ak, int ars, int aks, float[] b, int bk, int ldb, int k,
            float[] c, int cr, int ldc, int j, int j1, int r0, int lo, int hi, int mode, float rate,
            float[] tile) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
        FloatVector s40 = FloatVector.zero(S), s41 = FloatVector.zero(S);
        FloatVector s50 = FloatVector.zero(S), s51 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++, bk += ldb, ak += aks) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk + j);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + j1);
            FloatVector x0 = FloatVector.broadcast(S, a[ak]);
            s00 = x0.fma(b0, s00);
            s01 = x0.fma(b1, s01);
            FloatVector x1 = FloatVector.broadcast(S, a[ak + 1 * ars]);
            s10 = x1.fma(b0, s10);
            s11 = x1.fma(b1, s11);
            FloatVector x2 = FloatVector.broadcast(S, a[ak + 2 * ars]);
            s20 = x2.fma(b0, s20);
            s21 = x2.fma(b1, s21);
            FloatVector x3 = FloatVector.broadcast(S, a[ak + 3 * ars]);
            s30 = x3.fma(b0, s30);
            s31 = x3.fma(b1, s31);
            FloatVector x4 = FloatVector.broadcast(S, a[ak + 4 * ars]);
            s40 = x4.fma(b0, s40);
            s41 = x4.fma(b1, s41);
            FloatVector x5 = FloatVector.broadcast(S, a[ak + 5 * ars]);
            s50 = x5.fma(b0, s50);
            s51 = x5.fma(b1, s51);
        }
        if (r0 > 0 || lo > 0 || hi < L) {
            s00.intoArray(tile, 0 * L);
            s01.intoArray(tile, 1 * L);
            s10.intoArray(tile, 2 * L);
            s11.intoArray(tile, 3 * L);
            s20.intoArray(tile, 4 * L);
            s21.intoArray(tile, 5 * L);
            s30.intoArray(tile, 6 * L);
            s31.intoArray(tile, 7 * L);
            s40.intoArray(tile, 8 * L);
            s41.intoArray(tile, 9 * L);
            s50.intoArray(tile, 10 * L);
            s51.intoArray(tile, 11 * L);
            finishTile(tile, 6, 2, c, cr, ldc, j, j1, r0, lo, hi, mode, rate);
        } else if (mode == STORE) {
            s00.intoArray(c, cr + 0 * ldc + j);
            s01.intoArray(c, cr + 0 * ldc + j1);
            s10.intoArray(c, cr + 1 * ldc + j);
            s11.intoArray(c, cr + 1 * ldc + j1);
            s20.intoArray(c, cr + 2 * ldc + j);
            s21.intoArray(c, cr + 2 * ldc + j1);
            s30.intoArray(c, cr + 3 * ldc + j);
            s31.intoArray(c, cr + 3 * ldc + j1);
            s40.intoArray(c, cr + 4 * ldc + j);
            s41.intoArray(c, cr + 4 * ldc + j1);
            s50.intoArray(c, cr + 5 * ldc + j);
            s51.intoArray(c, cr + 5 * ldc + j1);
        } else if (mode == RELU) {
            s00.max(0f).intoArray(c, cr + 0 * ldc + j);
            s01.max(0f).intoArray(c, cr + 0 * ldc + j1);
            s10.max(0f).intoArray(c, cr + 1 * ldc + j);
            s11.max(0f).intoArray(c, cr + 1 * ldc + j1);
            s20.max(0f).intoArray(c, cr + 2 * ldc + j);
            s21.max(0f).intoArray(c, cr + 2 * ldc + j1);
            s30.max(0f).intoArray(c, cr + 3 * ldc + j);
            s31.max(0f).intoArray(c, cr + 3 * ldc + j1);
            s40.max(0f).intoArray(c, cr + 4 * ldc + j);
            s41.max(0f).intoArray(c, cr + 4 * ldc + j1);
            s50.max(0f).intoArray(c, cr + 5 * ldc + j);
            s51.max(0f).intoArray(c, cr + 5 * ldc + j1);
        } else {
            FloatVector.fromArray(S, c, cr + 0 * ldc + j).sub(s00.mul(rate)).intoArray(c, cr + 0 * ldc + j);
            FloatVector.fromArray(S, c, cr + 0 * ldc + j1).sub(s01.mul(rate)).intoArray(c, cr + 0 * ldc + j1);
            FloatVector.fromArray(S, c, cr + 1 * ldc + j).sub(s10.mul(rate)).intoArray(c, cr + 1 * ldc + j);
            FloatVector.fromArray(S, c, cr + 1 * ldc + j1).sub(s11.mul(rate)).intoArray(c, cr + 1 * ldc + j1);
            FloatVector.fromArray(S, c, cr + 2 * ldc + j).sub(s20.mul(rate)).intoArray(c, cr + 2 * ldc + j);
            FloatVector.fromArray(S, c, cr + 2 * ldc + j1).sub(s21.mul(rate)).intoArray(c, cr + 2 * ldc + j1);
            FloatVector.fromArray(S, c, cr + 3 * ldc + j).sub(s30.mul(rate)).intoArray(c, cr + 3 * ldc + j);
            FloatVector.fromArray(S, c, cr + 3 * ldc + j1).sub(s31.mul(rate)).intoArray(c, cr + 3 * ldc + j1);
            FloatVector.fromArray(S, c, cr + 4 * ldc + j).sub(s40.mul(rate)).intoArray(c, cr + 4 * ldc + j);
            FloatVector.fromArray(S, c, cr + 4 * ldc + j1).sub(s41.mul(rate)).intoArray(c, cr + 4 * ldc + j1);
            FloatVector.fromArray(S, c, cr + 5 * ldc + j).sub(s50.mul(rate)).intoArray(c, cr + 5 * ldc + j);
            FloatVector.fromArray(S, c, cr + 5 * ldc + j1).sub(s51.mul(rate)).intoArray(c, cr + 5 * ldc + j1);
        }
    }

    /**
     * A block of 6 rows by 1 vector of columns (at j). When it overlaps
     * a block before ({@code r0} rows, or the last vector's first {@code lo} lanes) or is narrower than a
     * vector ({@code hi} below L), its sums go through the tile ({@link #finishTile}); else straight to c.
     */
    private static void block6x1(float[] a, int ak, int ars, int aks, float[] b, int bk, int ldb, int k,
            float[] c, int cr, int ldc, int j, int r0, int lo, int hi, int mode, float rate,
            float[] tile) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S);
        FloatVector s40 = FloatVector.zero(S);
        FloatVector s50 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++, bk += ldb, ak += aks) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk + j);
            FloatVector x0 = FloatVector.broadcast(S, a[ak]);
            s00 = x0.fma(b0, s00);
            FloatVector x1 = FloatVector.broadcast(S, a[ak + 1 * ars]);
            s10 = x1.fma(b0, s10);
            FloatVector x2 = FloatVector.broadcast(S, a[ak + 2 * ars]);
            s20 = x2.fma(b0, s20);
            FloatVector x3 = FloatVector.broadcast(S, a[ak + 3 * ars]);
            s30 = x3.fma(b0, s30);
            FloatVector x4 = FloatVector.broadcast(S, a[ak + 4 * ars]);
            s40 = x4.fma(b0, s40);
            FloatVector x5 = FloatVector.broadcast(S, a[ak + 5 * ars]);
            s50 = x5.fma(b0, s50);
        }
        if (r0 > 0 || lo > 0 || hi < L) {
            s00.intoArray(tile, 0 * L);
            s10.intoArray(tile, 2 * L);
            s20.intoArray(tile, 4 * L);
            s30.intoArray(tile, 6 * L);
            s40.intoArray(tile, 8 * L);
            s50.intoArray(tile, 10 * L);
            finishTile(tile, 6, 1, c, cr, ldc, j, j, r0, lo, hi, mode, rate);
        } else if (mode == STORE) {
            s00.intoArray(c, cr + 0 * ldc + j);
            s10.intoArray(c, cr + 1 * ldc + j);
            s20.intoArray(c, cr + 2 * ldc + j);
            s30.intoArray(c, cr + 3 * ldc + j);
            s40.intoArray(c, cr + 4 * ldc + j);
            s50.intoArray(c, cr + 5 * ldc + j);
        } else if (mode == RELU) {
            s00.max(0f).intoArray(c, cr + 0 * ldc + j);
            s10.max(0f).intoArray(c, cr + 1 * ldc + j);
            s20.max(0f).intoArray(c, cr + 2 * ldc + j);
            s30.max(0f).intoArray(c, cr + 3 * ldc + j);
            s40.max(0f).intoArray(c, cr + 4 * ldc + j);
            s50.max(0f).intoArray(c, cr + 5 * ldc + j);
        } else {
            FloatVector.fromArray(S, c, cr + 0 * ldc + j).sub(s00.mul(rate)).intoArray(c, cr + 0 * ldc + j);
            FloatVector.fromArray(S, c, cr + 1 * ldc + j).sub(s10.mul(rate)).intoArray(c, cr + 1 * ldc + j);
            FloatVector.fromArray(S, c, cr + 2 * ldc + j).sub(s20.mul(rate)).intoArray(c, cr + 2 * ldc + j);
            FloatVector.fromArray(S, c, cr + 3 * ldc + j).sub(s30.mul(rate)).intoArray(c, cr + 3 * ldc + j);
            FloatVector.fromArray(S, c, cr + 4 * ldc + j).sub(s40.mul(rate)).intoArray(c, cr + 4 * ldc + j);
            FloatVector.fromArray(S, c, cr + 5 * ldc + j).sub(s50.mul(rate)).intoArray(c, cr + 5 * ldc + j);
        }
    }

    /**
     * A block of 1 row by 2 vectors of columns (at j and j1). When it overlaps
     * a block before ({@code r0} rows, or the last vector's first {@code lo} lanes) or is narrower than a
     * vector ({@code hi} below L), its sums go through the tile ({@link #finishTile}); else straight to c.
     */
    private static void block1x2(float[] a, int ak, int ars, int aks, float[] b, int bk, int ldb, int k,
            float[] c, int cr, int ldc, int j, int j1, int r0, int lo, int hi, int mode, float rate,
            float[] tile) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++, bk += ldb, ak += aks) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk + j);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + j1);
            FloatVector x0 = FloatVector.broadcast(S, a[ak]);
            s00 = x0.fma(b0, s00);
            s01 = x0.fma(b1, s01);
        }
        if (r0 > 0 || lo > 0 || hi < L) {
            s00.intoArray(tile, 0 * L);
            s01.intoArray(tile, 1 * L);
            finishTile(tile, 1, 2, c, cr, ldc, j, j1, r0, lo, hi, mode, rate);
        } else if (mode == STORE) {
            s00.intoArray(c, cr + 0 * ldc + j);
            s01.intoArray(c, cr + 0 * ldc + j1);
        } else if (mode == RELU) {
            s00.max(0f).intoArray(c, cr + 0 * ldc + j);
            s01.max(0f).intoArray(c, cr + 0 * ldc + j1);
        } else {
            FloatVector.fromArray(S, c, cr + 0 * ldc + j).sub(s00.mul(rate)).intoArray(c, cr + 0 * ldc + j);
            FloatVector.fromArray(S, c, cr + 0 * ldc + j1).sub(s01.mul(rate)).intoArray(c, cr + 0 * ldc + j1);
        }
    }

    /**
     * A block of 1 row by 1 vector of columns (at j). When it overlaps
     * a block before ({@code r0} rows, or the last vector's first {@code lo} lanes) or is narrower than a
     * vector ({@code hi} below L), its sums go through the tile ({@link #finishTile}); else straight to c.
     */
    private static void block1x1(float[] a, int ak, int ars, int aks, float[] b, int bk, int ldb, int k,
            float[] c, int cr, int ldc, int j, int r0, int lo, int hi, int mode, float rate,
            float[] tile) {
        FloatVector s00 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++, bk += ldb, ak += aks) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk + j);
            FloatVector x0 = FloatVector.broadcast(S, a[ak]);
            s00 = x0.fma(b0, s00);
        }
        if (r0 > 0 || lo > 0 || hi < L) {
            s00.intoArray(tile, 0 * L);
            finishTile(tile, 1, 1, c, cr, ldc, j, j, r0, lo, hi, mode, rate);
        } else if (mode == STORE) {
            s00.intoArray(c, cr + 0 * ldc + j);
        } else if (mode == RELU) {
            s00.max(0f).intoArray(c, cr + 0 * ldc + j);
        } else {
            FloatVector.fromArray(S, c, cr + 0 * ldc + j).sub(s00.mul(rate)).intoArray(c, cr + 0 * ldc + j);
        }
    }
}
