package dev.kiln.codegen;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent threads that share a kernel's rows with the calling thread: the caller works too and waits
 * for the others, so a run is still one call on one thread as far as the user can tell. No thread is
 * created and nothing is allocated per kernel: the task is a few fields, published by a volatile
 * generation counter. Workers spin briefly for the next task (kernels follow each other within
 * microseconds), then park.
 *
 * <p>The rows are handed out in chunks, each thread taking the next chunk when it finishes one, so a
 * thread that runs slower (a busy core, a core shared with another machine) takes fewer rows instead
 * of making the others wait. Each output row is still computed by exactly one thread, in the same order
 * as single-threaded, so results do not depend on the number of threads or on who took which chunk.
 *
 * <p>One pool serves one compiled instance, which, like the instance, must not be used by two threads at
 * once. The pool's threads stop when {@link #close} is called or the instance is collected.
 */
public final class WorkerPool implements AutoCloseable {
    /** What a pool runs: part of kernel {@code kernel}, rows {@code from} (inclusive) to {@code to}. */
    public interface Parallel {
        void runPart(int kernel, int from, int to);
    }

    private static final int SPINS = 20_000;
    /** Chunks per thread a kernel's rows are cut into, at most: enough to even out unequal cores. */
    static final int CHUNKS_PER_THREAD = 8;

    private final Thread[] workers;
    private final int parts;
    private volatile int generation;
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger();
    // the current task: written before generation is incremented, read after it is seen
    private Parallel body;
    private int kernel;
    private int rows;
    private int chunk;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Throwable failure;

    /** A pool running kernels on {@code threads} threads: the caller and {@code threads - 1} workers. */
    public WorkerPool(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a pool needs at least 2 threads, got " + threads);
        }
        this.parts = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            final int part = w + 1;
            workers[w] = new Thread(this::work, "kiln-worker-" + part);
            workers[w].setDaemon(true);
            workers[w].start();
        }
    }

    public int threads() {
        return parts;
    }

    /**
     * Runs rows {@code 0 .. rows - 1} of {@code kernel}, shared among the threads in chunks whose
     * boundaries are multiples of {@code align} rows, and returns when all rows are done. If a part fails on
     * any thread, no further chunk is started, and the first failure is thrown here once every thread has
     * stopped, so the pool is ready for the next run.
     */
    public void run(Parallel task, int kernelId, int rows, int align) {
        int chunk = chunk(rows, parts, align);
        body = task;
        kernel = kernelId;
        this.rows = rows;
        this.chunk = chunk;
        next.set(0);
        pending.set(parts - 1);
        generation++; // publishes the task
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        try {
            drain(task, kernelId, rows, chunk);
        } catch (RuntimeException | Error t) {
            fail(t);
        }
        while (pending.get() > 0) {
            Thread.onSpinWait();
        }
        body = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    private void work() {
        int seen = 0;
        while (!closed) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                drain(body, kernel, rows, chunk);
            } catch (Throwable t) {
                fail(t);
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Rows per chunk: about {@link #CHUNKS_PER_THREAD} chunks per thread, a multiple of {@code align}. */
    static int chunk(int rows, int threads, int align) {
        int chunk = (rows + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD);
        return Math.max(align, (chunk + align - 1) / align * align);
    }

    /** Takes chunks of the current task until none is left. */
    private void drain(Parallel task, int kernelId, int rows, int chunk) {
        for (int from = next.getAndAdd(chunk); from < rows; from = next.getAndAdd(chunk)) {
            task.runPart(kernelId, from, Math.min(rows, from + chunk));
        }
    }

    /** Records the first failure of a run and leaves no chunk for anyone to start. */
    private synchronized void fail(Throwable t) {
        next.set(Integer.MAX_VALUE / 2);
        if (failure == null) {
            failure = t;
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
