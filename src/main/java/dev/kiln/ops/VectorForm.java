package dev.kiln.ops;

/**
 * An elementwise op's form in the Vector API, when that form computes exactly what the op's scalar
 * kernel computes, lane by lane (so the vector backend stays as exact as the scalar one):
 * {@link Elementwise#vectorForm}. Ops without one ({@code exp}, {@code tanh}, {@code pow}, ...) are
 * computed one element at a time by the scalar code.
 */
public sealed interface VectorForm {
    /** No exact Vector API form. */
    record None() implements VectorForm {}

    /** {@code a.method(b)} on two vectors: {@code add}, {@code sub}, {@code mul}, {@code div}, {@code max}, {@code min}. */
    record Binary(String method) implements VectorForm {}

    /** {@code a.method()} on one vector: {@code neg}. */
    record Unary(String method) implements VectorForm {}

    /** {@code a.max(c)} with a broadcast constant c (relu: c = 0). */
    record MaxWith(float constant) implements VectorForm {}

    /**
     * {@code 1} where {@code a.compare(comparison, b)} holds, else 0: {@code comparison} names a field of
     * {@code VectorOperators} ({@code GT}, {@code GE}, {@code LT}, {@code LE}).
     */
    record Compare(String comparison) implements VectorForm {}

    /** The shared instance of {@link None}. */
    VectorForm NONE = new None();
}
