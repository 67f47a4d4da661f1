package dev.kiln.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.RunGuard;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What may be shared between threads: a graph, and {@code Kiln.compile} itself; and what may not: a
 * compiled instance, a session, their variables. Two threads running one instance at once are refused
 * with an {@link IllegalStateException} naming the other thread; handing an instance over between runs
 * works.
 */
class ThreadSafetyTest {
    static final String MODEL_BUSY = "compiled models are not thread-safe: compile one per thread";
    static final String SESSION_BUSY = "sessions are not thread-safe: make one per thread";
    static final long PATIENCE_SECONDS = 60;

    public interface Step {
        float run(float[] x, float[] y);
    }

    /** A layer of 256 with a training step: long enough a run (about a millisecond) that two threads overlap. */
    static Graph model() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 256));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 256));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(256, 256), 0f, 0.05f, 3L));
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(tf.tanh(tf.matmul(x, w)), y))));
        tf.assign(w, tf.sub(w, tf.mul(0.1f, tf.gradients(loss, w).get(0))));
        return tf.build();
    }

    static float[] data(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        return a;
    }

    /** Calls {@code call} on two threads until one of them is refused or time runs out; the refusal, or null. */
    static Refusal hammer(Runnable call) throws InterruptedException {
        AtomicReference<Refusal> refused = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    while (refused.get() == null && failed.get() == null && System.nanoTime() < deadline) {
                        try {
                            call.run();
                        } catch (IllegalStateException e) {
                            refused.compareAndSet(null, new Refusal(Thread.currentThread().getName(), e));
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, "hammer-" + i);
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failed.get(), () -> "a hammering thread failed otherwise: " + failed.get());
        return refused.get();
    }

    /** The thread that was refused and what it was told. */
    record Refusal(String thread, IllegalStateException e) {
        String other() {
            return thread.equals("hammer-0") ? "hammer-1" : "hammer-0";
        }
    }

    @Test
    void twoThreadsRunningOneCompiledInstanceAreRefused() throws Exception {
        Step step = Kiln.compile(model(), Step.class, new Options().batch(32));
        float[] x = data(32 * 256, 1);
        float[] y = data(32 * 256, 2);
        Refusal r = hammer(() -> step.run(x, y));
        assertNotNull(r, "two threads ran one instance for " + PATIENCE_SECONDS + " s and were never refused");
        assertEquals("this compiled model is already running on thread \"" + r.other() + "\"; " + MODEL_BUSY,
                r.e().getMessage());
        assertTrue(Float.isFinite(step.run(x, y)), "the instance still runs");
    }

    @Test
    void twoThreadsRunningOneDispatcherWithDifferentBatchSizesAreRefused() throws Exception {
        Step step = Kiln.compile(model(), Step.class, new Options()); // a dispatcher: one class per batch size
        float[][] xs = {data(16 * 256, 1), data(24 * 256, 3)};
        float[][] ys = {data(16 * 256, 2), data(24 * 256, 4)};
        Refusal r = hammer(() -> {
            int i = Thread.currentThread().getName().endsWith("0") ? 0 : 1;
            step.run(xs[i], ys[i]);
        });
        assertNotNull(r, "never refused");
        assertEquals("this compiled model is already running on thread \"" + r.other() + "\"; " + MODEL_BUSY,
                r.e().getMessage());
    }

    @Test
    void twoThreadsRunningOneSessionAreRefused() throws Exception {
        Graph g = model().bind(32);
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(32, 256), data(32 * 256, 1)),
                "y", new Tensor(Shape.of(32, 256), data(32 * 256, 2)));
        for (Engine engine : Engine.values()) {
            Session s = Kiln.session(g, List.of("loss"), g.sideEffects(), engine, 0);
            Refusal r = hammer(() -> s.run(feeds));
            assertNotNull(r, engine + ": never refused");
            assertEquals("this session is already running on thread \"" + r.other() + "\"; " + SESSION_BUSY,
                    r.e().getMessage(), engine.toString());
        }
    }

    @Test
    void aRefusedRunChangesNothingAndTheInstanceWorksAfterwards() throws Exception {
        Step step = Kiln.compile(model(), Step.class, new Options().batch(8));
        Step twin = Kiln.compile(model(), Step.class, new Options().batch(8));
        float[] x = data(8 * 256, 5);
        float[] y = data(8 * 256, 6);
        Variables vars = Kiln.variables(step);
        Tensor before = vars.get("w");
        RunGuard guard = ((RunGuard.Owner) step).runGuard();
        Thread holder = new Thread(guard::enter, "holder"); // as if "holder" were in the middle of a run
        holder.start();
        holder.join();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> step.run(x, y));
        assertEquals("this compiled model is already running on thread \"holder\"; " + MODEL_BUSY, e.getMessage());
        IllegalStateException read = assertThrows(IllegalStateException.class, () -> vars.get("w"));
        assertEquals("cannot read variable 'w' while this compiled model is running on thread \"holder\";"
                + " read and set variables between runs", read.getMessage());
        assertThrows(IllegalStateException.class, () -> vars.set("w", before));
        guard.exit();
        assertEquals(before, vars.get("w"), "the refused run changed a variable");
        for (int t = 0; t < 3; t++) {
            assertEquals(Float.floatToIntBits(twin.run(x, y)), Float.floatToIntBits(step.run(x, y)), "step " + t);
        }
    }

    @Test
    void aFailedCallReleasesTheInstance() {
        Step step = Kiln.compile(model(), Step.class, new Options());
        float[] x = data(4 * 256, 1);
        float[] y = data(4 * 256, 2);
        // inside the dispatcher's guard: a length that is no whole number of rows
        assertThrows(IllegalArgumentException.class, () -> step.run(new float[100], y));
        // inside the model: y does not match x's batch size
        assertThrows(IllegalArgumentException.class, () -> step.run(x, new float[5 * 256]));
        assertTrue(Float.isFinite(step.run(x, y)));
        Session s = Kiln.compile(model(), new Options().batch(4));
        assertThrows(RuntimeException.class, () -> s.run(Map.of()));
        assertEquals(1, s.run(Map.of("x", new Tensor(Shape.of(4, 256), x), "y", new Tensor(Shape.of(4, 256), y))).size());
    }

    @Test
    void variablesCannotBeReadOrSetWhileAnotherThreadRuns() throws Exception {
        Step step = Kiln.compile(model(), Step.class, new Options().batch(32));
        float[] x = data(32 * 256, 1);
        float[] y = data(32 * 256, 2);
        Variables vars = Kiln.variables(step);
        Tensor w = vars.get("w");
        AtomicBoolean stop = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            while (!stop.get()) {
                step.run(x, y);
            }
        }, "runner");
        runner.start();
        try {
            IllegalStateException read = poll(() -> vars.get("w"));
            assertEquals("cannot read variable 'w' while this compiled model is running on thread \"runner\";"
                    + " read and set variables between runs", read.getMessage());
            IllegalStateException set = poll(() -> vars.set("w", w));
            assertTrue(set.getMessage().startsWith("cannot set variable 'w' while"), set.getMessage());
        } finally {
            stop.set(true);
            runner.join();
        }
        assertEquals(w.shape(), vars.get("w").shape(), "between runs it works again");
    }

    /** Calls {@code access} until it is refused. */
    static IllegalStateException poll(Runnable access) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                access.run();
            } catch (IllegalStateException e) {
                return e;
            }
        }
        throw new AssertionError("never refused in " + PATIENCE_SECONDS + " s");
    }

    @Test
    void anInstanceHandedFromThreadToThreadBetweenRunsGivesTheResultsOfOneThread() throws Exception {
        float[] x = data(16 * 256, 7);
        float[] y = data(16 * 256, 8);
        Step alone = Kiln.compile(model(), Step.class, new Options().batch(16));
        Step handed = Kiln.compile(model(), Step.class, new Options().batch(16));
        Step dispatched = Kiln.compile(model(), Step.class, new Options()); // batch bound on the first call
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int t = 0; t < 9; t++) {
                float want = alone.run(x, y);
                // each submit lands on whichever of the three threads is free; get() hands the instance back
                Future<Float> got = pool.submit(() -> handed.run(x, y));
                Future<Float> viaDispatcher = pool.submit(() -> dispatched.run(x, y));
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got.get()), "step " + t);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(viaDispatcher.get()), "step " + t);
                Future<Tensor> w = pool.submit(() -> Kiln.variables(handed).get("w"));
                assertEquals(Kiln.variables(alone).get("w"), w.get(), "variables read from another thread, step " + t);
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void threadsMayCompileAtOnceAndShareTheGraph() throws Exception {
        Graph shared = model(); // immutable: every thread compiles the same object
        float[] x = data(8 * 256, 9);
        float[] y = data(8 * 256, 10);
        Step reference = Kiln.compile(shared, Step.class, new Options().batch(8));
        float[] want = new float[3];
        for (int t = 0; t < want.length; t++) {
            want[t] = reference.run(x, y);
        }
        int n = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int threads = 1 + i % 2;
                results.add(pool.submit(() -> {
                    start.await();
                    Step mine = Kiln.compile(shared, Step.class, new Options().batch(8).threads(threads));
                    float[] got = new float[want.length];
                    for (int t = 0; t < got.length; t++) {
                        got[t] = mine.run(x, y);
                    }
                    return got;
                }));
            }
            start.countDown();
            for (Future<float[]> f : results) {
                assertArrayEquals(want, f.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
}
