package dev.kiln.numpy;

/**
 * Element conversions as NumPy's {@code astype} makes them on x86-64: floats to integers truncate toward zero,
 * NaN and values out of the target's range give its most negative value; integers narrow by wrapping;
 * anything nonzero (NaN included) is True.
 */
final class Casts {
    private Casts() {}

    /** A float element converted to an integer or bool dtype. */
    static long toLong(double v, NpType type) {
        return switch (type) {
            case BOOL -> v != 0 || Double.isNaN(v) ? 1 : 0;
            case INT32 -> Double.isNaN(v) || v <= -2147483649.0 || v >= 2147483648.0 ? Integer.MIN_VALUE : (long) (int) v;
            default -> Double.isNaN(v) || v < -9.223372036854775808E18 || v >= 9.223372036854775808E18
                    ? Long.MIN_VALUE : (long) v;
        };
    }

    /** An integer element converted to an integer or bool dtype. */
    static long wrap(long v, NpType type) {
        return switch (type) {
            case BOOL -> v != 0 ? 1 : 0;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    /** A double rounded to {@code type}: float32 values to the nearest float. */
    static double round(double v, NpType type) {
        return type == NpType.FLOAT32 ? (float) v : v;
    }
}
