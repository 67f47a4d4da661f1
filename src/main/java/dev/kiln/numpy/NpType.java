package dev.kiln.numpy;

import java.util.Locale;

/**
 * The NumPy dtypes a TF1 program's arrays have. Smaller integer types read from {@code .npy} files
 * ({@code int8}, {@code uint16}, ...) are held as {@link #INT64}; see {@link NpyFiles}.
 */
public enum NpType {
    BOOL("bool", 1),
    INT32("int32", 4),
    INT64("int64", 8),
    FLOAT32("float32", 4),
    FLOAT64("float64", 8);

    private final String numpyName;
    private final int itemSize;

    NpType(String numpyName, int itemSize) {
        this.numpyName = numpyName;
        this.itemSize = itemSize;
    }

    /** NumPy's name of the dtype: {@code "float32"}. */
    public String numpyName() {
        return numpyName;
    }

    /** Bytes per element, NumPy's {@code dtype.itemsize}. */
    public int itemSize() {
        return itemSize;
    }

    /**
     * The dtype a Python program names: {@code "float32"}, {@code "float64"}, {@code "int32"}, {@code "int64"},
     * {@code "bool"}, and Python's {@code "float"} (float64) and {@code "int"} (int64); null for any other name.
     */
    public static NpType byName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float32", "f4", "single" -> FLOAT32;
            case "float64", "f8", "float", "double" -> FLOAT64;
            case "int32", "i4" -> INT32;
            case "int64", "i8", "int" -> INT64;
            case "bool", "bool_", "?" -> BOOL;
            default -> null;
        };
    }

    /** True for float32 and float64. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** True for int32 and int64. */
    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    /** NumPy's order of kinds: bool, then integers, then floats. */
    int kind() {
        return isFloat() ? 2 : isInteger() ? 1 : 0;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
