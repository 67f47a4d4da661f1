package dev.kiln.codegen;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent threads that share a kernel's rows with the calling thread: the caller works too and waits
 * for the others, so a run is still one call on one thread as far as the user can tell. No thread is
 * created and nothing is allocated per kernel: the task is a few fields, published by a volatile
 * generation counter. Workers spin briefly for the next task (kernels follow each other within
 * microseconds), then park.
 *
 * <p>{@link #run} hands the rows out in chunks, each thread taking the next chunk when it finishes one, so
 * a thread that runs slower (a busy core, a core shared with another machine) takes fewer rows instead
 * of making the others wait. {@link #runOwned} gives each thread its own units first, the same every
 * time, so that the rows of a variable a thread updates are the rows it reads in the next run's
 * products and stay in its core's cache rather than moving between cores every step; a thread done with
 * its own then takes the others' last units, so a slower thread still holds no one up. Either way each
 * unit is computed by exactly one thread, in the same order as single-threaded, so results do not depend
 * on the number of threads or on who took which.
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
    /** True when each thread takes its own units first ({@link #runOwned}), not chunks in turn. */
    private boolean owned;
    /**
     * In an owned run, each thread's units still to do: {@code first << 32 | end} at index
     * {@code SPREAD * t} (spread out so that threads do not share a cache line). The owner takes from the
     * front, others from the back.
     */
    private final AtomicLongArray units;
    private static final int SPREAD = 16;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Throwable failure;

    /** A pool running kernels on {@code threads} threads: the caller and {@code threads - 1} workers. */
    public WorkerPool(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a pool needs at least 2 threads, got " + threads);
        }
        this.parts = threads;
        this.units = new AtomicLongArray(threads * SPREAD);
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
     * Runs rows {@code 0 .. rows - 1} of {@code kernel}, shared among the threads in chunks whose
     * boundaries are multiples of {@code align} rows, and returns when all rows are done. If a part fails on
     * any thread, no further chunk is started, and the first failure is thrown here once every thread has
     * stopped, so the pool is ready for the next run.
     */
    public void run(Parallel task, int kernelId, int rows, int align) {
        start(task, kernelId, rows, chunk(rows, parts, align), false);
    }

    /**
     * Runs units {@code 0 .. pieces * chunks - 1} of {@code kernel}, one {@code runPart(kernel, u, u + 1)}
     * each: {@code pieces} pieces of {@code chunks} units. Thread {@code t} of {@code T} (the caller is
     * thread 0) owns pieces {@code ceil(P*t/T)} up to {@code ceil(P*(t+1)/T)} of the {@code P}: it runs
     * their units in order, then takes units from the ends of other threads' until none is left.
     * Failures are handled as in {@link #run}.
     */
    public void runOwned(Parallel task, int kernelId, int pieces, int chunks) {
        for (int t = 0; t < parts; t++) {
            long first = (long) owned(pieces, t) * chunks;
            long end = (long) owned(pieces, t + 1) * chunks;
            units.set(t * SPREAD, first << 32 | end);
        }
        start(task, kernelId, pieces * chunks, chunks, true);
    }

    /**
     * The first of {@code rows} rows in unit {@code u} ({@code u = pieces * chunks}: the end), the rows
     * cut into {@code pieces} pieces and each piece into {@code chunks} units, all by {@link #pieceBound}.
     * Generated kernels call it to find their rows.
     */
    public static int unitStart(int u, int rows, int pieces, int chunks) {
        int p = u / chunks;
        int first = pieceBound(rows, pieces, p);
        return first + pieceBound(pieceBound(rows, pieces, p + 1) - first, chunks, u - p * chunks);
    }

    /** The first piece thread {@code t} owns of {@code pieces} ({@code t = T}: the end). */
    private int owned(int pieces, int t) {
        return (int) (((long) pieces * t + parts - 1) / parts);
    }

    /**
     * Where piece {@code p} of {@code rows} rows cut into {@code pieces} starts ({@code p = pieces}: the
     * end): about {@code p * rows / pieces}, rounded to a multiple of 8 (a vector block's rows), so the
     * pieces differ by at most 8 rows. Generated kernels call it too, to find their pieces of k.
     */
    public static int pieceBound(int rows, int pieces, int p) {
        if (p >= pieces) {
            return rows;
        }
        long scaled = (long) p * rows;
        return (int) Math.min(rows, (2 * scaled + 8L * pieces) / (16L * pieces) * 8);
    }

    private void start(Parallel task, int kernelId, int rows, int chunk, boolean owned) {
        body = task;
        kernel = kernelId;
        this.rows = rows;
        this.chunk = chunk;
        this.owned = owned;
        next.set(0);
        pending.set(parts - 1);
        generation++; // publishes the task
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        try {
            share(0, task, kernelId, rows, chunk, owned);
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
                share(part, body, kernel, rows, chunk, owned);
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

    /** Part {@code part}'s share of the current task: its own rows, or chunks until none is left. */
    private void share(int part, Parallel task, int kernelId, int rows, int chunk, boolean owned) {
        if (!owned) {
            drain(task, kernelId, rows, chunk);
            return;
        }
        for (int t = part, n = 0; n < parts; t = (t + 1) % parts, n++) {
            for (int u = take(t, t == part); u >= 0 && next.get() == 0; u = take(t, t == part)) {
                task.runPart(kernelId, u, u + 1); // a failure sets next, and no unit is started after
            }
        }
    }

    /** The next unit thread {@code t} owns, from the front for itself ({@code own}), else from the back; -1 if none. */
    private int take(int t, boolean own) {
        int i = t * SPREAD;
        while (true) {
            long s = units.get(i);
            int first = (int) (s >>> 32);
            int end = (int) s;
            if (first >= end) {
                return -1;
            }
            long taken = own ? (long) (first + 1) << 32 | end : (long) first << 32 | (end - 1);
            if (units.compareAndSet(i, s, taken)) {
                return own ? first : end - 1;
            }
        }
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
