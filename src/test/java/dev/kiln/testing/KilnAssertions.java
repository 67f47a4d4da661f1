package dev.kiln.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Assertions about the {@link KilnException}s users see. */
public final class KilnAssertions {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private KilnAssertions() {}

    /** Runs {@code action}, which must throw a KilnException whose message contains every fragment. */
    public static KilnException assertKilnError(Executable action, String... fragments) {
        KilnException e = catchKiln(action);
        List<Executable> checks = new ArrayList<>();
        for (String f : fragments) {
            checks.add(() -> assertTrue(e.getMessage().contains(f),
                    () -> "message should contain \"" + f + "\" but was: " + e.getMessage()));
        }
        assertAll(checks);
        return e;
    }

    /**
     * As {@link #assertKilnError}, and the message must also name the Java file and line of the test that
     * built the failing node: the line of the calling class's frame in the exception's own stack trace
     * (the lambda passed here), e.g. {@code MatMulTest.java:42}. Write the offending call inside the lambda.
     */
    public static KilnException assertKilnErrorAt(Executable action, String... fragments) {
        Class<?> caller = WALKER.walk(s -> s.map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c != KilnAssertions.class).findFirst().orElseThrow());
        KilnException e = catchKiln(action);
        String where = null;
        for (StackTraceElement el : e.getStackTrace()) {
            String cn = el.getClassName();
            if (cn.equals(caller.getName()) || cn.startsWith(caller.getName() + "$")) {
                where = el.getFileName() + ":" + el.getLineNumber();
                break;
            }
        }
        assertNotNull(where, () -> "the exception was not thrown from within " + caller.getName());
        String pos = where;
        List<Executable> checks = new ArrayList<>();
        for (String f : fragments) {
            checks.add(() -> assertTrue(e.getMessage().contains(f),
                    () -> "message should contain \"" + f + "\" but was: " + e.getMessage()));
        }
        checks.add(() -> assertTrue(e.getMessage().contains(pos),
                () -> "message should name the caller's position " + pos + " but was: " + e.getMessage()));
        assertAll(checks);
        return e;
    }

    /** Runs {@code action}, which must throw a KilnException, and returns the exception. */
    public static KilnException catchKiln(Executable action) {
        try {
            action.execute();
        } catch (KilnException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected a KilnException but got " + t, t);
        }
        return fail("expected a KilnException, but nothing was thrown");
    }
}
