package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerPoolTest {

    @ParameterizedTest
    @CsvSource({"64,2,8", "1000,2,8", "1000,3,8", "7,2,8", "1,2,1", "100,4,1", "0,2,8", "129,2,16"})
    void everyRowRunsExactlyOnceInAlignedChunks(int rows, int threads, int align) {
        AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(rows, 1));
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int repeat = 0; repeat < 50; repeat++) {
                pool.run((kernel, from, to) -> {
                    assertEquals(3, kernel);
                    assertTrue(from % align == 0, "chunk starts at row " + from);
                    assertTrue(to == rows || (to - from) % align == 0, "chunk " + from + ".." + to);
                    for (int r = from; r < to; r++) {
                        runs.incrementAndGet(r);
                    }
                }, 3, rows, align);
            }
        }
        for (int r = 0; r < rows; r++) {
            assertEquals(50, runs.get(r), "row " + r);
        }
    }

    @Test
    void chunksAreAlignedAndAboutEightPerThread() {
        assertEquals(8, WorkerPool.chunk(64, 2, 8)); // 8 chunks: fewer rows than 16 aligned chunks
        assertEquals(64, WorkerPool.chunk(1000, 2, 8)); // 16 chunks
        assertEquals(1, WorkerPool.chunk(3, 2, 1));
        assertEquals(16, WorkerPool.chunk(10, 2, 16)); // never below the alignment
    }

    @Test
    void aFailureOnAnyThreadReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run((kernel, from, to) -> {
                if (from >= 32) {
                    throw new IllegalStateException("row " + from);
                }
            }, 0, 64, 8));
            assertTrue(e.getMessage().startsWith("row "), e.getMessage());
            pool.run((kernel, from, to) -> { }, 0, 64, 8); // and the pool still works
        }
    }

    @ParameterizedTest
    @CsvSource({"4,1,2", "4,8,2", "4,8,3", "2,1,2", "4,1,5", "1,3,2"})
    void everyOwnedUnitRunsExactlyOnceOneAtATime(int pieces, int chunks, int threads) {
        int units = pieces * chunks;
        AtomicIntegerArray runs = new AtomicIntegerArray(units);
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int repeat = 0; repeat < 50; repeat++) {
                pool.runOwned((kernel, from, to) -> {
                    assertEquals(5, kernel);
                    assertEquals(from + 1, to, "one unit per call");
                    runs.incrementAndGet(from);
                }, 5, pieces, chunks);
            }
        }
        for (int u = 0; u < units; u++) {
            assertEquals(50, runs.get(u), "unit " + u);
        }
    }

    @Test
    void eachThreadTakesItsOwnUnitsFromTheFrontAndOthersFromTheBack() {
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int repeat = 0; repeat < 20; repeat++) {
                Thread caller = Thread.currentThread();
                java.util.concurrent.CountDownLatch callerStarted = new java.util.concurrent.CountDownLatch(1);
                List<Integer> byCaller = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                List<Integer> byWorker = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                pool.runOwned((kernel, from, to) -> {
                    if (Thread.currentThread() == caller) {
                        byCaller.add(from);
                        callerStarted.countDown();
                    } else {
                        try { // so that the worker cannot take all the caller's units before it starts
                            callerStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        byWorker.add(from);
                    }
                }, 0, 4, 2); // the caller owns units 0-3, the worker 4-7
                assertEquals(0, byCaller.get(0), "the caller starts with its first unit: " + byCaller);
                assertOrdered(byCaller, 0, 4);
                assertOrdered(byWorker, 4, 8);
                assertEquals(8, byCaller.size() + byWorker.size());
            }
        }
    }

    /** Own units (in {@code [first, end)}) come in increasing order, the others' in decreasing order. */
    private static void assertOrdered(List<Integer> units, int first, int end) {
        int lastOwn = -1;
        int lastOther = Integer.MAX_VALUE;
        for (int u : units) {
            if (u >= first && u < end) {
                assertTrue(u > lastOwn, "own units in order: " + units);
                lastOwn = u;
            } else {
                assertTrue(u < lastOther, "others' units from the back: " + units);
                lastOther = u;
            }
        }
    }

    @Test
    void aThreadDoneWithItsOwnUnitsTakesTheOthers() {
        // the worker's units block until the caller has run some of them
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread caller = Thread.currentThread();
            java.util.concurrent.CountDownLatch stolen = new java.util.concurrent.CountDownLatch(1);
            AtomicIntegerArray byCaller = new AtomicIntegerArray(8);
            pool.runOwned((kernel, from, to) -> {
                if (Thread.currentThread() == caller) {
                    byCaller.set(from, 1);
                    if (from >= 4) {
                        stolen.countDown();
                    }
                } else {
                    try {
                        stolen.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, 2, 4);
            int taken = 0;
            for (int u = 4; u < 8; u++) {
                taken += byCaller.get(u);
            }
            assertTrue(taken >= 1, "the caller took none of the worker's units");
            for (int u = 0; u < 4; u++) {
                assertEquals(1, byCaller.get(u), "the caller's own unit " + u);
            }
        }
    }

    @Test
    void aFailureInAnOwnedRunReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.runOwned((kernel, from, to) -> {
                if (from == 3) {
                    throw new IllegalStateException("unit " + from);
                }
            }, 0, 4, 1));
            assertEquals("unit 3", e.getMessage());
            pool.runOwned((kernel, from, to) -> { }, 0, 4, 1); // and the pool still works
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void theWorkersDoABegunRunWhileTheCallerDoesSomethingElse(boolean owned) throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int repeat = 0; repeat < 20; repeat++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(8);
                AtomicInteger done = new AtomicInteger();
                Thread caller = Thread.currentThread();
                AtomicInteger byCaller = new AtomicInteger();
                WorkerPool.Parallel task = (kernel, from, to) -> {
                    for (int u = from; u < to; u++) {
                        runs.incrementAndGet(u);
                    }
                    if (Thread.currentThread() == caller) {
                        byCaller.incrementAndGet();
                    }
                    done.addAndGet(to - from);
                };
                if (owned) {
                    pool.beginOwned(task, 0, 4, 2);
                } else {
                    pool.begin(task, 0, 8, 1);
                }
                // the caller's other work: here, waiting until the workers have done every unit, its own too
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (done.get() < 8 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                pool.join();
                assertEquals(0, byCaller.get(), "the caller ran units though the workers had done them all");
                for (int u = 0; u < 8; u++) {
                    assertEquals(1, runs.get(u), "unit " + u);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void theCallerRunsWhileWaitingOnceAfterItsShare(boolean owned) {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread caller = Thread.currentThread();
            for (int repeat = 0; repeat < 20; repeat++) {
                AtomicInteger done = new AtomicInteger();
                AtomicInteger waits = new AtomicInteger();
                WorkerPool.Parallel task = new WorkerPool.Parallel() {
                    @Override
                    public void runPart(int kernel, int from, int to) {
                        done.addAndGet(to - from);
                    }

                    @Override
                    public void whileWaiting(int kernel) {
                        assertEquals(7, kernel);
                        assertTrue(Thread.currentThread() == caller, "on the caller's thread");
                        assertEquals(0, waits.getAndIncrement(), "once a run");
                        // the caller's share is done and nothing is left to take: each unit is done or running
                    }
                };
                if (owned) {
                    pool.runOwned(task, 7, 4, 2);
                } else {
                    pool.run(task, 7, 64, 8);
                }
                assertEquals(1, waits.get());
                assertEquals(owned ? 8 : 64, done.get());
            }
        }
    }

    @Test
    void aFailureInABegunRunIsThrownByJoin() {
        try (WorkerPool pool = new WorkerPool(2)) {
            pool.beginOwned((kernel, from, to) -> {
                if (from == 2) {
                    throw new IllegalArgumentException("unit " + from);
                }
            }, 0, 4, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pool::join);
            assertEquals("unit 2", e.getMessage());
            pool.runOwned((kernel, from, to) -> { }, 0, 4, 1); // and the pool still works
        }
    }

    @Test
    void aRunBegunAndNeverJoinedIsFinishedByTheNext() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray first = new AtomicIntegerArray(8);
            pool.beginOwned((kernel, from, to) -> first.incrementAndGet(from), 0, 4, 2);
            // the caller's work in between failed: no join; the next run must still find every unit done
            AtomicIntegerArray second = new AtomicIntegerArray(8);
            pool.runOwned((kernel, from, to) -> second.incrementAndGet(from), 0, 4, 2);
            for (int u = 0; u < 8; u++) {
                assertEquals(1, first.get(u), "first run, unit " + u);
                assertEquals(1, second.get(u), "second run, unit " + u);
            }
        }
    }

    @Test
    void joinWithoutABegunRunIsAnError() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(IllegalStateException.class, pool::join);
            pool.runOwned((kernel, from, to) -> { }, 0, 4, 1);
            assertThrows(IllegalStateException.class, pool::join, "a finished run cannot be joined again");
        }
    }

    @Test
    void anOwnedRunOfTooManyUnitsIsRefused() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(IllegalArgumentException.class, () -> pool.runOwned((kernel, from, to) -> { }, 0, 1 << 8, 1 << 8));
            assertThrows(IllegalArgumentException.class, () -> pool.runOwned((kernel, from, to) -> { }, 0, 0, 1));
        }
    }

    @ParameterizedTest
    @CsvSource({"1000,4", "64,4", "33,4", "32,4", "1000,3", "7,2", "0,4", "100000,8"})
    void piecesAreNearlyEqualAndStartOnMultiplesOfEight(int rows, int pieces) {
        assertEquals(0, WorkerPool.pieceBound(rows, pieces, 0));
        assertEquals(rows, WorkerPool.pieceBound(rows, pieces, pieces));
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int p = 0; p < pieces; p++) {
            int from = WorkerPool.pieceBound(rows, pieces, p);
            int to = WorkerPool.pieceBound(rows, pieces, p + 1);
            assertTrue(from <= to, "piece " + p + ": " + from + ".." + to);
            assertTrue(p == 0 || from % 8 == 0 || from == rows, "piece " + p + " starts at " + from);
            min = Math.min(min, to - from);
            max = Math.max(max, to - from);
        }
        assertTrue(max - min <= 8 || rows < 8 * pieces, "pieces of " + min + " to " + max + " rows");
    }

    @Test
    void unitsCutEachPieceInOrder() {
        // 1000 rows, 4 pieces (0, 248, 504, 752, 1000), each cut into 4 units
        int[] expected = {0, 64, 128, 184, 248, 312, 376, 440, 504, 568, 632, 688, 752, 816, 880, 936, 1000};
        for (int u = 0; u <= 16; u++) {
            assertEquals(expected[u], WorkerPool.unitStart(u, 1000, 4, 4), "unit " + u);
        }
    }

    @Test
    void aPoolNeedsTwoThreads() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(1));
    }
}
