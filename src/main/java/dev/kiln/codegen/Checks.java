package dev.kiln.codegen;

/** Checks generated classes call at their entry points; public because the generated classes live in other packages. */
public final class Checks {
    private Checks() {}

    /** Throws {@link IllegalArgumentException} unless {@code feed} holds exactly {@code expected} floats. */
    public static void feed(float[] feed, int expected, String placeholder, String shape) {
        if (feed == null) {
            throw new IllegalArgumentException("feed '" + placeholder + "' is null; expected " + expected
                    + " floats (shape " + shape + ")");
        }
        if (feed.length != expected) {
            throw new IllegalArgumentException("feed '" + placeholder + "': expected " + expected + " floats (shape "
                    + shape + "), got " + feed.length);
        }
    }
}
