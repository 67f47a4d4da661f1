package dev.kiln.numpy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as NumPy and Python print them: the shortest decimal that reads back as the same value, in
 * positional notation within a range of magnitudes ({@code 1597.0376}, {@code 3.0}) and in scientific
 * notation outside it ({@code 3.275607e-05}, {@code 1e+16}). A float32 prints positionally from 1e-4 up to
 * 1e6, a float64 (and a Python float) up to 1e16. Java's own {@code Float.toString} differs in notation
 * ({@code 3.275607E-5}) and, before JDK 19, sometimes in digits.
 */
public final class Format {
    private Format() {}

    /** {@code str(np.float32(v))}, which {@code print} shows. */
    public static String float32(float v) {
        if (!Float.isFinite(v)) {
            return special(v);
        }
        return format(v, shortest(v, true), Math.abs(v) >= 1e6f);
    }

    /** {@code repr(v)} of a Python float, also {@code str(np.float64(v))}. */
    public static String float64(double v) {
        if (!Double.isFinite(v)) {
            return special(v);
        }
        return format(v, shortest(v, false), Math.abs(v) >= 1e16);
    }

    private static String special(double v) {
        return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }

    private interface ReadsBack {
        boolean test(String text);
    }

    /**
     * The fewest significant digits that read back as {@code v} (as a float32 value when {@code f32}), and of
     * those the decimal nearest the exact value (ties to an even last digit): what Python's {@code repr} and
     * NumPy's shortest printing both give. Finite v only; the sign is v's.
     */
    public static BigDecimal shortest(double v, boolean f32) {
        BigDecimal exact = new BigDecimal(v);
        return f32 ? shortest(exact, p -> Float.parseFloat(p) == (float) v, 9)
                : shortest(exact, p -> Double.parseDouble(p) == v, 17);
    }

    /**
     * With {@code n} digits, the two decimals around the exact value (rounded down and up) are the only
     * candidates: the nearest is taken when both read back, the one that does when only one does.
     */
    private static BigDecimal shortest(BigDecimal exact, ReadsBack readsBack, int most) {
        if (exact.signum() == 0) {
            return BigDecimal.ZERO;
        }
        for (int n = 1; n < most; n++) {
            BigDecimal down = exact.round(new MathContext(n, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(n, RoundingMode.UP));
            boolean downReads = readsBack.test(down.toString());
            boolean upReads = readsBack.test(up.toString());
            if (downReads && upReads) {
                int c = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
                return c < 0 || c == 0 && !down.unscaledValue().testBit(0) ? down : up;
            }
            if (downReads || upReads) {
                return downReads ? down : up;
            }
        }
        return exact.round(new MathContext(most, RoundingMode.HALF_EVEN));
    }

    /** Positional between 1e-4 and the type's bound ({@code large} says when above it), else scientific. */
    private static String format(double v, BigDecimal digits, boolean large) {
        String sign = v < 0 || v == 0 && 1 / v < 0 ? "-" : "";
        BigDecimal d = digits.abs().stripTrailingZeros();
        if (d.signum() == 0) {
            return sign + "0.0";
        }
        boolean small = Math.abs(v) < 1e-4;
        if (!large && !small) {
            String plain = d.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String unscaled = d.unscaledValue().toString();
        int exponent = unscaled.length() - 1 - d.scale();
        String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
