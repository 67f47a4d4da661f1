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
        // links every call site, starts the workers, and lets the JIT settle: a method deoptimized while
        // counting re-creates the objects its compiled code had scalar-replaced, on this thread (seen once
        // in a few runs after 20 steps, on a loaded machine)
        for (int i = 0; i < 300; i++) {
            step.run(x, y);
        }
        List<Long> ids = new ArrayList<>(List.of(Thread.currentThread().getId()));
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kiln-worker-"))
                .forEach(t -> ids.add(t.getId()));
        long[] before = new long[ids.size()];
        for (int t = 0; t < before.length; t++) {
            before[t] = mx.getThreadAllocatedBytes(ids.get(t));
        }
        for (int i = 0; i < 200; i++) {
            step.run(x, y);
        }
        for (int t = 0; t < before.length; t++) {
            long after = mx.getThreadAllocatedBytes(ids.get(t));
            // reading the counter allocates nothing itself; the list above was built before
            assertEquals(0, after - before[t], "bytes allocated over 200 steps by thread " + ids.get(t));
        }
    }
}
