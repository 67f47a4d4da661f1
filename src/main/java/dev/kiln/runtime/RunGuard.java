package dev.kiln.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Notices when a compiled model or a session is used by two threads at once, which would silently mix
 * their arrays, and throws {@link IllegalStateException} instead. A run records its thread on entry and
 * clears it on exit; a run that finds another thread recorded refuses to start, and so does reading or
 * setting a variable. Costs one compare-and-set on entry and one release write on exit (tens of
 * nanoseconds, against microseconds for the smallest run), no lock: of two runs that start at the same
 * moment exactly one gets through. (A plain read-then-write was tried first; two threads starting together
 * both got through it often enough to corrupt a dispatcher's table of batch sizes.) It is a diagnostic for
 * misuse, not a way to share an instance: the refused thread gets an exception, not a turn.
 *
 * <p>The compare-and-set on entry has acquire semantics and the clearing write on exit is a release, so a
 * run that starts after another has finished sees all of that run's writes: handing an instance from one
 * thread to another between runs is safe.
 */
public final class RunGuard {
    /** What generated classes implement so that the runtime can reach their guard. */
    public interface Owner {
        RunGuard runGuard();
    }

    private static final VarHandle RUNNING;

    static {
        try {
            RUNNING = MethodHandles.lookup().findVarHandle(RunGuard.class, "running", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String what;
    private final String advice;
    @SuppressWarnings("unused") // through RUNNING
    private Thread running;

    private RunGuard(String what, String advice) {
        this.what = what;
        this.advice = advice;
    }

    /** The guard of an instance of a generated class (and of a dispatcher); generated constructors call this. */
    public static RunGuard forModel() {
        return new RunGuard("compiled model", "compiled models are not thread-safe: compile one per thread");
    }

    /** The guard of a {@code Session}. */
    public static RunGuard forSession() {
        return new RunGuard("session", "sessions are not thread-safe: make one per thread");
    }

    /** At the start of a run: throws if a run is in progress, else records this thread as running. */
    public void enter() {
        if (!RUNNING.compareAndSet(this, null, Thread.currentThread())) {
            Thread other = (Thread) RUNNING.getAcquire(this);
            throw new IllegalStateException("this " + what + " is already running on "
                    + (other == null ? "another thread" : name(other)) + "; " + advice);
        }
    }

    /** At the end of a run, also when it failed. */
    public void exit() {
        RUNNING.setRelease(this, null);
    }

    /** Throws if a run is in progress: {@code action} is what was attempted, e.g. {@code read variable 'w'}. */
    public void checkBetweenRuns(String action) {
        Thread other = (Thread) RUNNING.getAcquire(this);
        if (other != null) {
            throw new IllegalStateException("cannot " + action + " while this " + what + " is running on " + name(other)
                    + "; read and set variables between runs");
        }
    }

    private static String name(Thread t) {
        return t == Thread.currentThread() ? "this thread" : "thread \"" + t.getName() + "\"";
    }
}
