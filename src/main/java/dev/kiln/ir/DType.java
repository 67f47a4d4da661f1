package dev.kiln.ir;

/** Element type of a tensor. Kiln computes in float32 only for now; the type is carried so that others can follow. */
public enum DType {
    FLOAT32("f32");

    private final String shortName;

    DType(String shortName) {
        this.shortName = shortName;
    }

    /** The short spelling used in IR listings, e.g. {@code f32}. */
    public String shortName() {
        return shortName;
    }
}
