package dev.kiln.numpy;

import java.util.List;

/**
 * One operand of an operation: an array (strong: its dtype counts in promotion) or a Python scalar (weak, as
 * NEP 50 has it: {@code float32_array * 2.0} stays float32), held as a 0-d array of Python's default type.
 */
record Operand(NdArray array, boolean weak) {
    /** An NdArray, a Long, Double or Boolean, or a (nested) Python list, which is a strong array. */
    static Operand of(Object value) {
        if (value instanceof NdArray a) {
            return new Operand(a, false);
        }
        if (value instanceof Long l) {
            return new Operand(NdArray.scalar(NpType.INT64, l), true);
        }
        if (value instanceof Integer i) {
            return new Operand(NdArray.scalar(NpType.INT64, (long) i), true);
        }
        if (value instanceof Double d) {
            return new Operand(NdArray.scalar(NpType.FLOAT64, d), true);
        }
        if (value instanceof Boolean b) {
            return new Operand(NdArray.scalar(NpType.BOOL, b ? 1L : 0L), true);
        }
        if (value instanceof List<?>) {
            return new Operand(PyValues.toArray(value, null), false);
        }
        throw NumpyException.type("unsupported operand type: " + PyValues.typeName(value));
    }

    NpType type() {
        return array.dtype();
    }
}
