package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The e, f and g presentation types against a second, plainer derivation from the double's exact decimal
 * expansion ({@code new BigDecimal(d)}) rounded half to even, which is what CPython's dtoa computes: random
 * bit patterns, exact ties (multiples of small powers of two) and decimal-looking values of every magnitude.
 */
class PyFormatPropertyTest {
    private static final PyFormat.Host NO_HOST = PyFormatTest.HOST;

    @Property(tries = 2000, seed = "20240611")
    void fixedPointIsTheExactValueRoundedHalfEven(@ForAll("doubles") double d, @ForAll @IntRange(max = 20) int n) {
        String magnitude = new BigDecimal(d).setScale(n, RoundingMode.HALF_EVEN).abs().toPlainString();
        assertEquals(sign(d) + magnitude, PyFormat.formatValue(d, "." + n + "f", NO_HOST));
    }

    @Property(tries = 2000, seed = "20240611")
    void exponentFormIsTheExactValueRoundedHalfEven(@ForAll("doubles") double d, @ForAll @IntRange(max = 20) int n) {
        BigDecimal r = new BigDecimal(d).abs().round(new MathContext(n + 1, RoundingMode.HALF_EVEN));
        int exponent = r.signum() == 0 ? 0 : r.precision() - r.scale() - 1;
        String mantissa = r.movePointLeft(exponent).setScale(n, RoundingMode.UNNECESSARY).toPlainString();
        assertEquals(sign(d) + mantissa + exponent(exponent), PyFormat.formatValue(d, "." + n + "e", NO_HOST));
    }

    @Property(tries = 2000, seed = "20240611")
    void generalFormPicksFixedOrExponentByTheRoundedExponent(@ForAll("doubles") double d,
            @ForAll @IntRange(max = 20) int n) {
        int p = Math.max(n, 1);
        BigDecimal r = new BigDecimal(d).abs().round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exponent = r.signum() == 0 ? 0 : r.precision() - r.scale() - 1;
        String expected;
        if (exponent >= -4 && exponent < p) {
            expected = withoutTrailingZeros(r.setScale(p - 1 - exponent, RoundingMode.UNNECESSARY).toPlainString());
        } else {
            String mantissa = r.movePointLeft(exponent).setScale(p - 1, RoundingMode.UNNECESSARY).toPlainString();
            expected = withoutTrailingZeros(mantissa) + exponent(exponent);
        }
        assertEquals(sign(d) + expected, PyFormat.formatValue(d, "." + n + "g", NO_HOST));
    }

    @Provide
    Arbitrary<Double> doubles() {
        Arbitrary<Double> bits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> ties = Arbitraries.integers().between(-1_000_000, 1_000_000)
                .flatMap(k -> Arbitraries.integers().between(0, 12).map(m -> Math.scalb((double) k, -m)));
        Arbitrary<Double> decimals = Arbitraries.doubles().between(-10, 10)
                .flatMap(x -> Arbitraries.integers().between(-30, 30).map(e -> x * Math.pow(10, e)));
        return Arbitraries.oneOf(bits, ties, decimals);
    }

    private static String sign(double d) {
        return d < 0 || d == 0 && 1 / d < 0 ? "-" : "";
    }

    private static String exponent(int e) {
        return String.format("e%s%02d", e < 0 ? "-" : "+", Math.abs(e));
    }

    private static String withoutTrailingZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
