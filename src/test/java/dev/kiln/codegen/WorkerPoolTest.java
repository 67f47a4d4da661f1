package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aPoolNeedsTwoThreads() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(1));
    }
}
