package dev.kiln.codegen;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent threads that split a kernel's rows with the calling thread: the caller runs the first part
 * and waits for the others, so a run is still one call on one thread as far as the user can tell. No
 * thread is created and nothing is allocated per kernel: the task is a few fields, published by a volatile
 * generation counter. Workers spin briefly for the next task (kernels follow each other within
 * microseconds), then park. Each output row is computed by exactly one thread in the same order as
 * single-threaded, so results do not depend on the number of threads.
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

    private final Thread[] workers;
    private final int parts;
    private volatile int generation;
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger();
    // the current task: written before generation is incremented, read after it is seen
    private Parallel body;
    private int kernel;
    private final int[] from;
    private final int[] to;
    private volatile Throwable failure;

    /** A pool running kernels on {@code threads} threads: the caller and {@code threads - 1} workers. */
    public WorkerPool(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a pool needs at least 2 threads, got " + threads);
        }
        this.parts = threads;
        this.from = new int[threads];
        this.to = new int[threads];
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            final int part = w + 1;
            workers[w] = new Thread(() -> work(part), "kiln-worker-" + part);
            workers[w].setDaemon(true);
            workers[w].start();
        }
    }

    public int threads() {
        return parts;
    }

    /**
     * Runs rows {@code 0 .. rows - 1} of {@code kernel} split into one part per thread, each part but the
     * last a multiple of {@code align} rows, and returns when all parts are done.
     */
    public void run(Parallel task, int kernelId, int rows, int align) {
        int share = (rows + parts - 1) / parts;
        share = (share + align - 1) / align * align;
        for (int p = 0; p < parts; p++) {
            from[p] = Math.min(rows, p * share);
            to[p] = Math.min(rows, (p + 1) * share);
        }
        body = task;
        kernel = kernelId;
        pending.set(parts - 1);
        generation++; // publishes the task
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        task.runPart(kernelId, from[0], to[0]);
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

    private void work(int part) {
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
                if (from[part] < to[part]) {
                    body.runPart(kernel, from[part], to[part]);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                pending.decrementAndGet();
            }
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
