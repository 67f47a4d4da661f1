package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The wording of check-numerics errors, which both engines share. */
class NumericsExceptionTest {
    private static final SourcePos POS = new SourcePos("m.kiln", 12, 9);

    @Test
    void namesWhatWasFoundAndWhere() {
        assertEquals("m.kiln:12:9: check-numerics: log %7 'p' f32[4,3] produced NaN at [3, 1]",
                NumericsException.of(POS, "log %7 'p' f32[4,3]", true, Shape.of(4, 3), 10, Float.NaN).getMessage());
        assertEquals("m.kiln:12:9: check-numerics: variable %1 'w' f32[2,3,5] holds -Inf at [1, 2, 4]",
                NumericsException.of(POS, "variable %1 'w' f32[2,3,5]", false, Shape.of(2, 3, 5), 29,
                        Float.NEGATIVE_INFINITY).getMessage());
        assertEquals("m.kiln:12:9: check-numerics: reduce_sum %9 f32[] produced +Inf",
                NumericsException.of(POS, "reduce_sum %9 f32[]", true, Shape.SCALAR, 0, Float.POSITIVE_INFINITY)
                        .getMessage());
    }

    @Test
    void withoutAPositionTheMessageStartsWithTheCheck() {
        NumericsException e = NumericsException.of(SourcePos.UNKNOWN, "exp %2 f32[3]", true, Shape.of(3), 0, Float.NaN);
        assertEquals("check-numerics: exp %2 f32[3] produced NaN at [0]", e.getMessage());
        assertEquals("check-numerics: exp %2 f32[3] produced NaN at [0] (step 4)", e.during("step 4").getMessage());
        assertEquals(SourcePos.UNKNOWN, e.during("step 4").pos());
    }

    @Test
    void findsTheFirstNonFiniteElementWithinTheSize() {
        float[] a = {1, 2, Float.NaN, Float.POSITIVE_INFINITY};
        assertEquals(2, NumericsException.firstNonFinite(a, 4));
        assertEquals(-1, NumericsException.firstNonFinite(a, 2), "only the value's own elements: a buffer may be larger");
        assertEquals(-1, NumericsException.firstNonFinite(new float[] {Float.MAX_VALUE, -Float.MIN_VALUE, -0f}, 3));
    }
}
