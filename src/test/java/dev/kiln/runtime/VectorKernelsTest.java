package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.codegen.Backend;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared vector kernels against the definition they promise, bit for bit: each element the fused
 * multiply-add chain of its products in k order from 0, then finished. Sizes cover every block shape,
 * overlapped last rows and columns, narrow products, transposed a, offsets and leading dimensions.
 */
class VectorKernelsTest {
    private final Random random = new Random(42);

    @BeforeEach
    void needsVectorApi() {
        assumeTrue(Backend.vectorAvailable(), "the JVM runs without jdk.incubator.vector");
    }

    static float[] randn(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** The definition: a plain loop per element. */
    static void reference(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
            int ldc, int m, int n, int k, int mode, float rate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int kk = 0; kk < k; kk++) {
                    s = Math.fma(a[aOff + i * ars + kk * aks], b[bOff + kk * ldb + j], s);
                }
                int o = cOff + i * ldc + j;
                c[o] = switch (mode) {
                    case VectorKernels.UPDATE -> c[o] - s * rate;
                    case VectorKernels.RELU -> Math.max(s, 0f);
                    default -> s;
                };
            }
        }
    }

    private void check(int m, int n, int k, boolean ta, int mode) {
        int lanes = VectorKernels.L;
        float[] a = randn(random, m * k + 3);
        int ldb = Math.max(n, lanes) + random.nextInt(3);
        float[] b = randn(random, k * ldb + 2);
        int ldc = n + random.nextInt(3);
        float[] got = randn(random, m * ldc + 2);
        float[] want = got.clone();
        int ars = ta ? 1 : k;
        int aks = ta ? m : 1;
        VectorKernels.gemm(a, 3, ars, aks, b, 2, ldb, got, 1, ldc, m, n, k, mode, 0.01f);
        reference(a, 3, ars, aks, b, 2, ldb, want, 1, ldc, m, n, k, mode, 0.01f);
        assertArrayEquals(want, got, () -> "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " mode=" + mode);
    }

    @Test
    void everyBlockShapeAndOverlapIsTheFmaChain() {
        int lanes = VectorKernels.L;
        int[] ms = {1, 2, 5, 6, 7, 11, 12, 13, 64};
        int[] ns = {1, lanes - 1, lanes, lanes + 1, 2 * lanes, 2 * lanes + 3, 3 * lanes, 3 * lanes + 1, 100};
        for (int m : ms) {
            for (int n : ns) {
                for (int mode = 0; mode < 3; mode++) {
                    check(m, n, 1 + random.nextInt(40), random.nextBoolean(), mode);
                }
            }
        }
    }

    @Test
    void randomSizes() {
        for (int t = 0; t < 300; t++) {
            check(1 + random.nextInt(30), 1 + random.nextInt(60), 1 + random.nextInt(t % 10 == 0 ? 600 : 50),
                    random.nextBoolean(), random.nextInt(3));
        }
    }

    @Test
    void transposedAndPaddedCopies() {
        int n = 5;
        int kk = 37;
        float[] b = randn(random, n * kk + 1);
        int ld = VectorKernels.L + 2;
        float[] ws = randn(random, kk * ld + 4);
        VectorKernels.transposed(b, 1, n, kk, ws, 4, ld);
        for (int k = 0; k < kk; k++) {
            for (int j = 0; j < ld; j++) {
                float want = j < n ? b[1 + j * kk + k] : 0f;
                if (ws[4 + k * ld + j] != want) {
                    throw new AssertionError("transposed at k=" + k + " j=" + j);
                }
            }
        }
        float[] p = randn(random, kk * VectorKernels.L + 3);
        VectorKernels.padded(b, 1, n, kk, 3, p, 3);
        for (int k = 0; k < kk; k++) {
            for (int j = 0; j < VectorKernels.L; j++) {
                float want = j < 3 ? b[1 + k * n + j] : 0f;
                if (p[3 + k * VectorKernels.L + j] != want) {
                    throw new AssertionError("padded at k=" + k + " j=" + j);
                }
            }
        }
    }

    @Test
    void piecesAreAddedInOrderThenFinished() {
        int m = 7;
        int n = 2 * VectorKernels.L + 3;
        int pieces = 4;
        int stride = m * n + 5;
        float[] ws = randn(random, 2 + pieces * stride);
        for (int mode = 0; mode < 3; mode++) {
            int ldc = n + 1;
            float[] got = randn(random, m * ldc);
            float[] want = got.clone();
            VectorKernels.sumPieces(ws, 2, pieces, stride, got, 0, ldc, m, n, mode, 0.5f);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = ws[2 + i * n + j];
                    for (int p = 1; p < pieces; p++) {
                        s += ws[2 + p * stride + i * n + j];
                    }
                    int o = i * ldc + j;
                    want[o] = mode == VectorKernels.UPDATE ? want[o] - s * 0.5f
                            : mode == VectorKernels.RELU ? Math.max(s, 0f) : s;
                }
            }
            assertArrayEquals(want, got, "mode " + mode);
        }
    }

    /** The epilogue pass gives the scalar epilogue's bits, signed zeros and NaN included, for a row and a matrix. */
    @Test
    void finishIsTheScalarEpilogueBitForBit() {
        Random r = new Random(7);
        float[] specials = {0f, -0f, Float.NaN, 1e-40f, -1e-40f, Float.POSITIVE_INFINITY, -3f};
        for (int kind = 0; kind < 3; kind++) {
            for (int n : new int[] {1, VectorKernels.L - 1, VectorKernels.L, 2 * VectorKernels.L + 3}) {
                for (int lde : new int[] {0, n + 2}) {
                    int m = 5;
                    int ldc = n + 1;
                    float[] c = new float[2 + m * ldc];
                    float[] e = new float[1 + m * Math.max(lde, n) + n];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = r.nextInt(5) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian();
                    }
                    for (int i = 0; i < e.length; i++) {
                        e[i] = r.nextInt(5) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian();
                    }
                    float[] want = c.clone();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            int at = 2 + i * ldc + j;
                            float x = want[at];
                            float y = e[1 + i * lde + j];
                            want[at] = kind == VectorKernels.ADD ? x + y : kind == VectorKernels.ADD_RELU
                                    ? Math.max(x + y, 0f) : x * (y > 0f ? 1f : 0f);
                        }
                    }
                    VectorKernels.finish(c, 2, ldc, m, n, kind, e, 1, lde);
                    for (int i = 0; i < c.length; i++) {
                        org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(want[i]),
                                Float.floatToRawIntBits(c[i]), "kind " + kind + ", n " + n + ", lde " + lde + ", at " + i);
                    }
                }
            }
        }
    }
}
