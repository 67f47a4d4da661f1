package dev.kiln.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.testing.Tensors;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step allocates nothing, on the calling thread or on the pool's workers: the JVM's own count
 * of bytes each thread allocated does not move over hundreds of canonical steps. Scalar backend only:
 * Vector API code allocates until C2 has compiled it, which a unit test cannot wait for (the JMH run's
 * gc profiler reports the vector backend, warmed up).
 */
class AllocationTest {
    interface Step {
        float run(float[] x, float[] y);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aStepAllocatesNothing(int threads) throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        Graph g = Script.parse(Path.of("examples/two_layer.kiln"));
        Step step = Kiln.compile(g, Step.class, new Options().batch(64).backend("scalar").threads(threads));
        float[] x = Tensors.gaussian(64 * 1000, 1);
        float[] y = Tensors.gaussian(64 * 10, 2);
        for (int i = 0; i < 100; i++) { // links every call site, starts the workers
            step.run(x, y);
        }
        List<Long> ids = new ArrayList<>(List.of(Thread.currentThread().getId()));
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kiln-worker-"))
                .forEach(t -> ids.add(t.getId()));
        long[] before = new long[ids.size()];
        long[] allocated = new long[ids.size()];
        // A step that allocates does so in every window of 200 steps. The JVM itself may allocate once on this
        // thread, when it deoptimizes a method and re-creates the objects its compiled code had scalar-replaced
        // (256 bytes, seen in about one run in ten on a busy machine): so up to three windows, one clean.
        for (int window = 0; window < 3; window++) {
            for (int t = 0; t < before.length; t++) {
                before[t] = mx.getThreadAllocatedBytes(ids.get(t));
            }
            for (int i = 0; i < 200; i++) {
                step.run(x, y);
            }
            long total = 0;
            for (int t = 0; t < before.length; t++) {
                // reading the counter allocates nothing itself; the arrays above were made before
                allocated[t] = mx.getThreadAllocatedBytes(ids.get(t)) - before[t];
                total += allocated[t];
            }
            if (total == 0) {
                return;
            }
        }
        for (int t = 0; t < before.length; t++) {
            assertEquals(0, allocated[t], "bytes allocated over 200 steps by thread " + ids.get(t) + " (3 windows)");
        }
    }
}
