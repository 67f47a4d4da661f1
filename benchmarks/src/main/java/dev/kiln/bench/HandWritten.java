package dev.kiln.bench;

/**
 * The canonical program written by hand in plain Java, as a careful programmer would without a graph
 * compiler: every buffer allocated once, matrix products in i-k-j order (the innermost loop runs along
 * contiguous rows of both the operand and the result, which C2 vectorizes), four rows of the left
 * operand at a time so each row of the right operand is loaded once per four uses, and each gradient row
 * of w1 summed in a small buffer that stays in L1 and applied to w1 as soon as it is complete.
 *
 * <p>It computes what the graph computes (same data, same learning rate, the gradient of
 * {@code sum((y - y_pred)^2)} summed before it is applied), so its losses agree with the reference
 * trajectory. Not thread-safe.
 */
public final class HandWritten {
    public static final int D_IN = 1000;
    public static final int H = 100;
    public static final int D_OUT = 10;
    public static final float LEARNING_RATE = 1e-6f;

    private final int n;
    /** The weights, [D_IN, H] and [H, D_OUT], row-major; updated in place by {@link #step}. */
    public final float[] w1 = new float[D_IN * H];
    public final float[] w2 = new float[H * D_OUT];
    private final float[] h;        // relu(x @ w1), [n, H]
    private final float[] yPred;    // [n, D_OUT]
    private final float[] gy;       // d loss / d y_pred = 2 (y_pred - y), [n, D_OUT]
    private final float[] gh;       // d loss / d h, masked by h > 0, [n, H]
    private final float[] gw2 = new float[H * D_OUT];
    private final float[] gw1Row = new float[H];

    public HandWritten(int batch) {
        this.n = batch;
        h = new float[n * H];
        yPred = new float[n * D_OUT];
        gy = new float[n * D_OUT];
        gh = new float[n * H];
    }

    public int batch() {
        return n;
    }

    /** Sets the weights (copies). */
    public void setWeights(float[] w1Value, float[] w2Value) {
        System.arraycopy(w1Value, 0, w1, 0, w1.length);
        System.arraycopy(w2Value, 0, w2, 0, w2.length);
    }

    /** y_pred for {@code x} [n, D_IN]; the returned array is reused by the next call. */
    public float[] forward(float[] x) {
        matmul(x, w1, h, n, D_IN, H);
        for (int i = 0; i < h.length; i++) {
            h[i] = Math.max(h[i], 0f);
        }
        matmul(h, w2, yPred, n, H, D_OUT);
        return yPred;
    }

    /** One training step: returns the loss before the update, then updates w1 and w2. */
    public float step(float[] x, float[] y) {
        forward(x);
        float loss = 0f;
        for (int i = 0; i < gy.length; i++) {
            float d = yPred[i] - y[i];
            loss += d * d;
            gy[i] = 2f * d;
        }
        // gw2 = h^T @ gy: sum over the batch of outer products, each row of gw2 contiguous.
        java.util.Arrays.fill(gw2, 0f);
        for (int i = 0; i < n; i++) {
            int hi = i * H;
            int gi = i * D_OUT;
            for (int p = 0; p < H; p++) {
                float a = h[hi + p];
                int o = p * D_OUT;
                for (int j = 0; j < D_OUT; j++) {
                    gw2[o + j] += a * gy[gi + j];
                }
            }
        }
        // gh = (gy @ w2^T) * (h > 0): each element a dot product of two contiguous rows of length D_OUT.
        for (int i = 0; i < n; i++) {
            int gi = i * D_OUT;
            int hi = i * H;
            for (int p = 0; p < H; p++) {
                int wp = p * D_OUT;
                float s = 0f;
                for (int j = 0; j < D_OUT; j++) {
                    s += gy[gi + j] * w2[wp + j];
                }
                gh[hi + p] = h[hi + p] > 0f ? s : 0f;
            }
        }
        // Both gradients read w2 before it changes; w1 is not read again.
        for (int i = 0; i < w2.length; i++) {
            w2[i] -= LEARNING_RATE * gw2[i];
        }
        // gw1 = x^T @ gh, a row at a time: row p sums x[i, p] * gh[i, :] over the batch, then updates w1.
        for (int p = 0; p < D_IN; p++) {
            java.util.Arrays.fill(gw1Row, 0f);
            for (int i = 0; i < n; i++) {
                float a = x[i * D_IN + p];
                int gi = i * H;
                for (int j = 0; j < H; j++) {
                    gw1Row[j] += a * gh[gi + j];
                }
            }
            int o = p * H;
            for (int j = 0; j < H; j++) {
                w1[o + j] -= LEARNING_RATE * gw1Row[j];
            }
        }
        return loss;
    }

    /**
     * {@code c = a @ b} for a [m, k], b [k, cols], c [m, cols], row-major: i-k-j order, four rows of a
     * (and c) at a time, then the remaining rows one at a time.
     */
    static void matmul(float[] a, float[] b, float[] c, int m, int k, int cols) {
        java.util.Arrays.fill(c, 0, m * cols, 0f);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int c0 = i * cols;
            int c1 = c0 + cols;
            int c2 = c1 + cols;
            int c3 = c2 + cols;
            int a0 = i * k;
            for (int p = 0; p < k; p++) {
                float x0 = a[a0 + p];
                float x1 = a[a0 + k + p];
                float x2 = a[a0 + 2 * k + p];
                float x3 = a[a0 + 3 * k + p];
                int bp = p * cols;
                for (int j = 0; j < cols; j++) {
                    float bv = b[bp + j];
                    c[c0 + j] += x0 * bv;
                    c[c1 + j] += x1 * bv;
                    c[c2 + j] += x2 * bv;
                    c[c3 + j] += x3 * bv;
                }
            }
        }
        for (; i < m; i++) {
            int ci = i * cols;
            int ai = i * k;
            for (int p = 0; p < k; p++) {
                float x0 = a[ai + p];
                int bp = p * cols;
                for (int j = 0; j < cols; j++) {
                    c[ci + j] += x0 * b[bp + j];
                }
            }
        }
    }
}
