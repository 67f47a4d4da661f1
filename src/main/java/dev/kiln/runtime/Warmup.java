package dev.kiln.runtime;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Gets {@link VectorKernels} compiled by C2 before a graph needs them: on a daemon thread, started once per
 * JVM ({@link #start}), it calls every kernel on tiny problems that take every branch (each block shape,
 * overlapped rows and columns, masked and whole last vectors, every finishing mode), until a round of
 * calls allocates nothing: Vector API code allocates an object per operation until C2 has compiled it
 * with its intrinsics, and nothing once it has.
 *
 * <p>The calls go through the tiers as any code does: interpreted, C1 with profiling, C2. Keeping C1 away
 * from the kernels with a compiler directive (through the {@code DiagnosticCommand} MBean) was tried: the
 * platform MBean server took about 350 ms to start, the interpreter profiled the kernels more slowly than
 * C1 does, and in 3 of 8 launcher runs a kernel came out of C2 still allocating for good (a round of the
 * warm-up steadily allocating 100 KB), so the run waited for the warm-up's time limit; without it, 16 of
 * 16 runs were compiled within about a second. If a kernel ever stays in allocating code, the warm-up
 * does not end quietly ({@link #outcome}), and a new compiled session stops waiting for it after
 * {@code CompiledSession.WARMUP_WAIT_MS}. With {@code -Dkiln.warmup.trace=true} it reports its progress on
 * standard error.
 *
 * <p>Nothing here changes a result: interpreted, C1-compiled or C2-compiled, the kernels perform the same
 * float operations in the same order. The warm-up only decides how soon they are fast.
 */
public final class Warmup {
    /** Longest the warm-up goes on, if the kernels somehow never stop allocating. */
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private static final CountDownLatch DONE = new CountDownLatch(1);
    private static volatile String outcome = "running";

    static {
        Thread t = new Thread(Warmup::run, "kiln-kernel-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
    }

    private Warmup() {}

    /** Starts the warm-up, once per JVM (later calls do nothing). */
    public static void start() {
        // the static initializer started it
    }

    /**
     * Waits until the kernels are compiled, at most {@code millis} ms; true when they are. Results are the
     * same either way: only speed depends on it.
     */
    public static boolean await(long millis) {
        try {
            return DONE.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How the warm-up went: "running", or what ended it. */
    public static String outcome() {
        return outcome;
    }

    private static void run() {
        try {
            long start = System.nanoTime();
            Problems p = new Problems();
            int quiet = 0;
            int rounds = 0;
            while (quiet < 3) {
                long before = allocated();
                p.round();
                rounds++;
                long after = allocated();
                // interpreted or C1-compiled, a round allocates tens of kilobytes of vectors; compiled by C2,
                // nothing (a few bytes may be the counter's own)
                quiet = before >= 0 && after - before < QUIET_BYTES ? quiet + 1 : 0;
                if (Boolean.getBoolean("kiln.warmup.trace") && rounds % 100 == 0) {
                    System.err.println("kiln warm-up round " + rounds + ": " + (after - before) + " bytes");
                }
                if (System.nanoTime() - start > LIMIT_NANOS) {
                    outcome = "gave up after " + rounds + " rounds";
                    return;
                }
                if (before < 0 && rounds >= 4000) { // no allocation counter: a fixed number of rounds
                    break;
                }
            }
            outcome = "compiled after " + rounds + " rounds, "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
        } catch (Throwable e) {
            outcome = "failed: " + e;
        } finally {
            if (Boolean.getBoolean("kiln.warmup.trace")) {
                System.err.println("kiln warm-up: " + outcome);
            }
            DONE.countDown();
        }
    }

    /** Bytes a round may allocate and still count as compiled. */
    private static final long QUIET_BYTES = 1024;

    private static com.sun.management.ThreadMXBean threads;

    /** Bytes this thread has allocated, or -1 when the JVM does not say. */
    private static long allocated() {
        try {
            if (threads == null && ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
                threads = t;
            }
            return threads == null ? -1 : threads.getCurrentThreadAllocatedBytes();
        } catch (RuntimeException | LinkageError e) {
            return -1; // no java.management, or no counter
        }
    }

    /** Tiny products exercising every path of the kernels, on arrays allocated once. */
    private static final class Problems {
        private final int lanes = VectorKernels.L;
        private final float[] a = fill(16 * 16, 0.25f);
        private final float[] b = fill(16 * (3 * lanes + 1), 0.5f);
        private final float[] c = new float[16 * (3 * lanes + 1)];
        private final float[] ws = new float[4 * 16 * (3 * lanes + 1) + 16 * (3 * lanes + 1)];

        private static float[] fill(int n, float v) {
            float[] x = new float[n];
            java.util.Arrays.fill(x, v);
            return x;
        }

        private final int[] widths = {2 * lanes, 2 * lanes + 1, 3 * lanes, 3 * lanes + 1, lanes - 1};

        void round() {
            for (int n : widths) {
                for (int mode = 0; mode < 3; mode++) {
                    int ldb = Math.max(n, lanes);
                    // 7 rows: a whole block and one overlapping it; 3 rows: one at a time; a transposed too
                    VectorKernels.gemm(a, 0, 8, 1, b, 0, ldb, c, 0, n, 7, n, 8, mode, 0.001f);
                    VectorKernels.gemm(a, 0, 1, 7, b, 0, ldb, c, 0, n, 7, n, 8, mode, 0.001f);
                    VectorKernels.gemm(a, 0, 8, 1, b, 0, ldb, c, 0, n, 3, n, 8, mode, 0.001f);
                    VectorKernels.sumPieces(ws, 0, 4, 7 * n, c, 0, n, 7, n, mode, 0.001f);
                }
            }
            for (int kind = 0; kind < 3; kind++) { // a bias row and a whole matrix, a tail past the vectors
                VectorKernels.finish(c, 0, 2 * lanes + 1, 7, 2 * lanes + 1, kind, b, 0, 0);
                VectorKernels.finish(c, 0, 2 * lanes + 1, 7, 2 * lanes + 1, kind, b, 0, 2 * lanes + 1);
            }
            VectorKernels.transposed(b, 0, 9, 16, ws, 0, Math.max(9, lanes));
            VectorKernels.padded(b, 0, 3, 16, 3, ws, 0);
            java.util.Arrays.fill(c, 0f);
        }
    }
}
