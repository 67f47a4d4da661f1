package dev.kiln.dsl;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double's text as Python writes it for the presentation types e, f, g and repr: digits of the exact binary
 * value, rounded half to even (so {@code 2.675} to two places is {@code 2.67}, since the double is a little
 * below 2.675), then laid out with the point, padding zeros and exponent each style asks for.
 */
final class PyFloatFormat {
    private PyFloatFormat() {}

    /**
     * Significant digits and where the point goes: the value is {@code 0.DIGITS × 10^point}. The digits have no
     * trailing zeros, and zero is {@code "0"} with point 1.
     */
    private record Decimal(String digits, int point) {
        static Decimal of(BigDecimal magnitude) {
            if (magnitude.signum() == 0) {
                return new Decimal("0", 1);
            }
            BigDecimal d = magnitude.stripTrailingZeros();
            String digits = d.unscaledValue().toString();
            return new Decimal(digits, digits.length() - d.scale());
        }

        boolean isZero() {
            return digits.equals("0");
        }

        char digitAt(int i) {
            return i >= 0 && i < digits.length() ? digits.charAt(i) : '0';
        }
    }

    /** {@code repr(v)}: the fewest digits that read back as {@code v}, positional from 1e-4 up to below 1e16. */
    static String repr(double v) {
        return format(v, 'r', 0, false, true, false, false);
    }

    /**
     * {@code v} in one of the styles: {@code 'e'} ({@code precision} digits after the point, exponent always),
     * {@code 'f'} ({@code precision} digits after the point), {@code 'g'} ({@code precision} significant digits,
     * exponent when it is below -4 or not below the precision, trailing zeros dropped unless {@code alternate}),
     * {@code 'r'} (the shortest digits that read back, exponent below -4 or above 15; precision unused).
     *
     * @param addDotZero an integral result keeps {@code ".0"} and, with {@code 'g'}, switches to the exponent one
     *     digit earlier: Python's style for an empty presentation type
     * @param upper {@code E}, {@code INF} and {@code NAN} instead of lower case
     * @param noNegativeZero drop the minus sign of a result that rounded to zero
     * @return the text, with a leading {@code '-'} when negative and no other sign
     */
    static String format(double v, char style, int precision, boolean alternate, boolean addDotZero, boolean upper,
            boolean noNegativeZero) {
        if (Double.isNaN(v)) {
            return upper ? "NAN" : "nan";
        }
        boolean negative = v < 0 || v == 0 && 1 / v < 0;
        if (Double.isInfinite(v)) {
            return (negative ? "-" : "") + (upper ? "INF" : "inf");
        }
        BigDecimal exact = new BigDecimal(Math.abs(v));
        if (style == 'g' && precision == 0) {
            precision = 1;
        }
        Decimal d = switch (style) {
            case 'e' -> Decimal.of(exact.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN)));
            case 'f' -> Decimal.of(exact.setScale(precision, RoundingMode.HALF_EVEN));
            case 'g' -> Decimal.of(exact.round(new MathContext(precision, RoundingMode.HALF_EVEN)));
            case 'r' -> Decimal.of(dev.kiln.numpy.Format.shortest(Math.abs(v), false));
            default -> throw new IllegalArgumentException("style " + style);
        };
        if (negative && noNegativeZero && d.isZero()) {
            negative = false;
        }
        return (negative ? "-" : "") + layOut(d, style, precision, alternate, addDotZero, upper);
    }

    /**
     * Writes the digits: positions {@code start} to {@code end} of the digit string extended with zeros on both
     * sides, the point before position {@code point}, the exponent after when the style asks for one.
     */
    private static String layOut(Decimal d, char style, int precision, boolean alternate, boolean addDotZero,
            boolean upper) {
        int point = d.point();
        int end = d.digits().length();
        boolean exponent = false;
        switch (style) {
            case 'e' -> {
                exponent = true;
                end = precision + 1;
            }
            case 'f' -> end = point + precision;
            case 'g' -> {
                exponent = point <= -4 || point > (addDotZero ? precision - 1 : precision);
                if (alternate) {
                    end = precision;
                }
            }
            default -> exponent = point <= -4 || point > 16;
        }
        int exp = point - 1;
        if (exponent) {
            point = 1;
        }
        int start = point <= 0 ? point - 1 : 0;
        end = Math.max(end, !exponent && addDotZero ? point + 1 : point);
        StringBuilder out = new StringBuilder(end - start + 8);
        for (int i = start; i < end; i++) {
            if (i == point) {
                out.append('.');
            }
            out.append(d.digitAt(i));
        }
        if (end == point && alternate) {
            out.append('.');
        }
        if (exponent) {
            int abs = Math.abs(exp);
            out.append(upper ? 'E' : 'e').append(exp < 0 ? '-' : '+').append(abs < 10 ? "0" : "").append(abs);
        }
        return out.toString();
    }
}
