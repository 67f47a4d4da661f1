package dev.kiln.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent threads that share a kernel's rows with the calling thread: the caller works too and waits
 * for the others, so a run is still one call on one thread as far as the user can tell. No thread is
 * created and nothing is allocated per kernel: the task is a few fields, published by a generation
 * counter. Workers spin briefly for the next task (kernels follow each other within microseconds), then
 * park.
 *
 * <p>Moving a cache line between two cores costs about a tenth of a microsecond here, and a run's
 * start and end used to cost ten such moves (a microsecond and more, twice a step). So each line is
 * written by one thread only where it can be: the caller writes the task and its generation, with a
 * release store that does not wait for the line to leave the workers' caches; each worker says it is
 * done in a line of its own; each thread's units in an owned run are stamped with the run's generation
 * by whoever takes one first, rather than written by the caller for every thread before it starts.
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

        /**
         * Called on the caller's thread once it has done its share of a run of {@code kernel}, before it
         * waits for the other threads: work that needs none of the run's results and touches nothing the
         * run does. The compiled classes write here the arrays that the next kernels on the caller will
         * write and another thread read last, so that taking those cache lines from the other core costs
         * the wait rather than the kernel.
         */
        default void whileWaiting(int kernel) {}
    }

    private static final int SPINS = 20_000;
    /** Chunks per thread a kernel's rows are cut into, at most: enough to even out unequal cores. */
    static final int CHUNKS_PER_THREAD = 8;
    /** Units an owned run may have: first and end of a thread's units share a word with the generation. */
    static final int MAX_UNITS = 1 << 15;
    /** Array elements between what different threads write, so that no two share a cache line. */
    private static final int SPREAD = 16;

    // the task, at these indices of `task`, written by the caller before it publishes GENERATION
    private static final int GENERATION = SPREAD;
    private static final int KERNEL = SPREAD + 1;
    private static final int ROWS = SPREAD + 2;
    private static final int CHUNK = SPREAD + 3;
    private static final int PIECES = SPREAD + 4;
    /** 0: rows in chunks taken in turn ({@link #run}); else units per piece of an owned run. */
    private static final int CHUNKS = SPREAD + 5;
    // what worker w writes, at these offsets from SPREAD * w of `status`
    private static final int DONE = 0;
    private static final int PARKED = 1;
    /** In `status`, in the caller's line: 1 between a run's publication and its {@link #join}, else 0. */
    private static final int OPEN = 0;

    private final Thread[] workers;
    private final int parts;
    private final AtomicIntegerArray task = new AtomicIntegerArray(3 * SPREAD);
    /** Per worker w at {@code SPREAD * w}: the last generation it finished, and whether it is parked. */
    private final AtomicIntegerArray status;
    /**
     * In an owned run, thread t's units still to do, at {@code SPREAD * t}: {@code generation << 32 |
     * first << 16 | end}. The owner takes from the front, others from the back; a word stamped with an
     * older generation holds the thread's units for the current run, not yet taken.
     */
    private final AtomicLongArray units;
    /** The body of the current task; written only when it changes, so its line stays in every cache. */
    private Parallel body;
    private volatile boolean closed;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Throwable failure;

    /** A pool running kernels on {@code threads} threads: the caller and {@code threads - 1} workers. */
    public WorkerPool(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a pool needs at least 2 threads, got " + threads);
        }
        this.parts = threads;
        this.units = new AtomicLongArray((threads + 1) * SPREAD);
        this.status = new AtomicIntegerArray((threads + 1) * SPREAD);
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
        begin(task, kernelId, rows, align);
        join();
    }

    /**
     * Runs units {@code 0 .. pieces * chunks - 1} of {@code kernel}, one {@code runPart(kernel, u, u + 1)}
     * each: {@code pieces} pieces of {@code chunks} units. Thread {@code t} of {@code T} (the caller is
     * thread 0) owns pieces {@code ceil(P*t/T)} up to {@code ceil(P*(t+1)/T)} of the {@code P}: it runs
     * their units in order, then takes units from the ends of other threads' until none is left.
     * Failures are handled as in {@link #run}.
     */
    public void runOwned(Parallel task, int kernelId, int pieces, int chunks) {
        beginOwned(task, kernelId, pieces, chunks);
        join();
    }

    /**
     * Starts {@link #run} on the workers and returns at once, so that the caller can do other work that
     * neither reads what the run writes nor writes what it reads; {@link #join} then does the caller's
     * share and waits for the rest. The workers take the caller's chunks meanwhile.
     */
    public void begin(Parallel task, int kernelId, int rows, int align) {
        endOpenRun();
        next.setPlain(0); // published by the generation's release store
        publish(task, kernelId, rows, chunk(rows, parts, align), 0, 0);
    }

    /**
     * Starts {@link #runOwned} on the workers and returns at once, as {@link #begin} does; a worker done
     * with its own units takes the caller's last ones meanwhile.
     */
    public void beginOwned(Parallel task, int kernelId, int pieces, int chunks) {
        if (pieces < 1 || chunks < 1 || (long) pieces * chunks > MAX_UNITS) {
            throw new IllegalArgumentException("an owned run takes 1 to " + MAX_UNITS + " units, got " + pieces
                    + " pieces of " + chunks);
        }
        endOpenRun();
        publish(task, kernelId, pieces * chunks, 0, pieces, chunks);
    }

    /**
     * Does the caller's share of the run begun last and returns when every thread has finished it; throws
     * the first failure of any part, as {@link #run} does.
     */
    public void join() {
        if (status.getPlain(OPEN) == 0) {
            throw new IllegalStateException("no run to join");
        }
        status.setPlain(OPEN, 0);
        int generation = task.getPlain(GENERATION);
        try {
            share(0, generation);
            body.whileWaiting(task.getPlain(KERNEL));
        } catch (RuntimeException | Error e) {
            fail(e);
        }
        awaitWorkers(generation);
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

    /**
     * Waits out a run begun and never joined (the caller's work between failed), dropping its failure, so
     * that one failed run leaves the pool ready for the next.
     */
    private void endOpenRun() {
        if (status.getPlain(OPEN) != 0) {
            try {
                join();
            } catch (RuntimeException | Error dropped) {
                // the unjoined run's failure: its own run has already failed, this is a new one
            }
        }
    }

    private void publish(Parallel t, int kernelId, int rows, int chunk, int pieces, int chunks) {
        if (body != t) {
            body = t;
        }
        task.setPlain(KERNEL, kernelId);
        task.setPlain(ROWS, rows);
        task.setPlain(CHUNK, chunk);
        task.setPlain(PIECES, pieces);
        task.setPlain(CHUNKS, chunks);
        int generation = task.getPlain(GENERATION) + 1;
        if (generation == 0) { // 0 is the stamp of units no run has looked at yet
            generation = 1;
        }
        task.setRelease(GENERATION, generation); // publishes the task, without waiting for it to leave
        status.setPlain(OPEN, 1);
        for (int w = 0; w < workers.length; w++) {
            if (status.getOpaque(SPREAD * (w + 1) + PARKED) != 0) {
                LockSupport.unpark(workers[w]);
            }
        }
    }

    private void awaitWorkers(int generation) {
        for (int w = 0; w < workers.length; w++) {
            int slot = SPREAD * (w + 1);
            for (int spins = 1; status.getAcquire(slot + DONE) != generation; spins++) {
                // a worker that parked just as the task was published is woken here
                if ((spins & 1023) == 0 && status.getOpaque(slot + PARKED) != 0) {
                    LockSupport.unpark(workers[w]);
                }
                Thread.onSpinWait();
            }
        }
    }

    private void work(int part) {
        int slot = SPREAD * part;
        int seen = 0;
        while (true) {
            int generation = await(slot, seen);
            if (closed) {
                return;
            }
            seen = generation;
            try {
                share(part, generation);
            } catch (Throwable t) {
                fail(t);
            } finally {
                status.setRelease(slot + DONE, generation);
            }
        }
    }

    /** Waits for a generation other than {@code seen}, spinning a while, then parking; returns it. */
    private int await(int slot, int seen) {
        for (int spins = 0; ; spins++) {
            int generation = task.getAcquire(GENERATION);
            if (generation != seen || closed) {
                return generation;
            }
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                status.set(slot + PARKED, 1); // volatile: the caller either sees it or we see its task
                if (task.getAcquire(GENERATION) == seen && !closed) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
                status.set(slot + PARKED, 0);
            }
        }
    }

    /** Rows per chunk: about {@link #CHUNKS_PER_THREAD} chunks per thread, a multiple of {@code align}. */
    static int chunk(int rows, int threads, int align) {
        int chunk = (rows + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD);
        return Math.max(align, (chunk + align - 1) / align * align);
    }

    /** Part {@code part}'s share of the current task: its own units, or chunks until none is left. */
    private void share(int part, int generation) {
        Parallel t = body;
        int kernelId = task.getPlain(KERNEL);
        int chunks = task.getPlain(CHUNKS);
        if (chunks == 0) {
            drain(t, kernelId, task.getPlain(ROWS), task.getPlain(CHUNK));
            return;
        }
        int pieces = task.getPlain(PIECES);
        for (int o = part, n = 0; n < parts; o = (o + 1) % parts, n++) {
            for (int u = take(o, o == part, generation, pieces, chunks); u >= 0 && failure == null;
                    u = take(o, o == part, generation, pieces, chunks)) {
                t.runPart(kernelId, u, u + 1); // a failure is recorded, and no unit is started after
            }
        }
    }

    /**
     * The next unit thread {@code o} owns in this run, from the front for itself ({@code own}), else from the
     * back; -1 if none. The first to look at a thread's units in a run stamps them with its generation.
     */
    private int take(int o, boolean own, int generation, int pieces, int chunks) {
        int i = SPREAD * o;
        while (true) {
            long s = units.get(i);
            if ((int) (s >>> 32) != generation) {
                long fresh = (long) generation << 32 | (long) owned(pieces, o) * chunks << 16
                        | (long) owned(pieces, o + 1) * chunks;
                if (!units.compareAndSet(i, s, fresh)) {
                    continue;
                }
                s = fresh;
            }
            int first = (int) (s >>> 16) & 0xFFFF;
            int end = (int) s & 0xFFFF;
            if (first >= end) {
                return -1;
            }
            long taken = own ? s + (1L << 16) : s - 1;
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
