package dev.kiln.numpy;

/**
 * NumPy 2's type promotion (NEP 50). Two arrays (NumPy scalars included) promote by their dtypes: bool with
 * anything gives the other, int32 with int64 gives int64, any integer with float32 gives float64, float32 with
 * float64 gives float64. A Python scalar is weak: of a kind no higher than the array's (bool, integer, float)
 * it takes the array's dtype ({@code int32_array + 1} is int32, {@code float32_array * 2.0} float32); of a
 * higher kind it takes Python's own type ({@code int64_array + 1.5} is float64, {@code bool_array + 1} int64).
 */
final class Promotion {
    private Promotion() {}

    /** The dtype the operation computes in (before an operator's own rule, such as {@code /} giving floats). */
    static NpType common(Operand a, Operand b) {
        if (a.weak() && !b.weak()) {
            return withWeak(b.type(), a);
        }
        if (b.weak() && !a.weak()) {
            return withWeak(a.type(), b);
        }
        return strong(a.type(), b.type());
    }

    static NpType strong(NpType a, NpType b) {
        if (a == b) {
            return a;
        }
        if (a == NpType.BOOL || b == NpType.BOOL) {
            return a == NpType.BOOL ? b : a;
        }
        if (a.isInteger() && b.isInteger()) {
            return NpType.INT64;
        }
        return NpType.FLOAT64; // int with float32, or float32 with float64
    }

    private static NpType withWeak(NpType strong, Operand weak) {
        if (weak.type().kind() > strong.kind()) {
            return weak.type();
        }
        if (strong == NpType.INT32 && weak.type() == NpType.INT64) {
            long v = weak.array().longs[0];
            if (v != (int) v) {
                throw new NumpyException("OverflowError", "Python integer " + v + " out of bounds for int32", null);
            }
        }
        return strong;
    }
}
