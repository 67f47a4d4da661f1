package dev.kiln.cli;

import java.io.PrintStream;

/**
 * The live progress line of {@code kiln train} on standard error: step, steps per second and the last
 * loss, redrawn at most ten times a second. Shown only when standard error is a terminal, which the
 * launcher tells the JVM with {@code -Dkiln.progress=true}; otherwise every call does nothing.
 */
final class Progress {
    private final PrintStream err;
    private final int steps;
    private final long start = System.nanoTime();
    private long lastDraw;

    private Progress(PrintStream err, int steps) {
        this.err = err;
        this.steps = steps;
    }

    static Progress forStandardError(int steps) {
        return new Progress(Boolean.getBoolean("kiln.progress") ? System.err : null, steps);
    }

    void step(int t, float loss) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && t + 1 < steps) {
            return;
        }
        lastDraw = now;
        double rate = (t + 1) / Math.max(1e-9, (now - start) / 1e9);
        err.printf("\r\033[Kstep %d/%d  %.1f steps/s  loss %s", t + 1, steps, rate, Float.toString(loss));
        err.flush();
    }

    void done() {
        if (err != null) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
