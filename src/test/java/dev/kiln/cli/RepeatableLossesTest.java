package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What {@code kiln train} prints does not depend on timing: each run is a fresh JVM, where the shared
 * kernels' warm-up, the JIT and the run race differently, and one run is made while this JVM keeps both
 * cores busy. The backend is the one this suite runs with ({@code kiln.backend}), so CI checks both.
 */
class RepeatableLossesTest {
    private static final String REF = "src/test/resources/reference/seed-2layer/";

    private static String train() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-Dkiln.backend=" + System.getProperty("kiln.backend", "auto"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.kiln.cli.Main", "train",
                "examples/two_layer.kiln", "--steps", "300", "--print-every", "20",
                "--feed", "x=" + REF + "x.npy", "--feed", "y=" + REF + "y.npy",
                "--init", "w1=" + REF + "w1.npy", "--init", "w2=" + REF + "w2.npy"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kiln train did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theSameLossesOnEveryRunAndUnderLoad() throws Exception {
        String first = train();
        assertEquals(15, first.lines().count(), first);
        assertEquals(first, train(), "a second run");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                double x = 1;
                while (!stop.get()) {
                    x = Math.sin(x) + 1;
                }
                if (x == 42) {
                    System.out.print("");
                }
            });
            t.setDaemon(true);
            t.start();
            burners.add(t);
        }
        try {
            assertEquals(first, train(), "a run while both cores are busy");
        } finally {
            stop.set(true);
            for (Thread t : burners) {
                t.join();
            }
        }
    }
}
