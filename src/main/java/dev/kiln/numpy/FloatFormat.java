package dev.kiln.numpy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How NumPy's default printing writes the float elements of one array (its {@code FloatingFormat} with
 * precision 8 and floatmode {@code maxprec}): all positional or all scientific, chosen from the magnitudes of
 * the finite values, each value's shortest digits that identify it (at most 8 after the point, more digits
 * rounded off), padded so the decimal points line up.
 *
 * <p>Scientific notation is chosen when the largest magnitude reaches 1e6 for float32 or 1e8 for float64,
 * when the smallest nonzero one is below 1e-4, or when their ratio exceeds 1000 (computed in the array's
 * type). Then every mantissa gets as many fractional digits as the longest one needs, the extra digits being
 * the value's own, and exponents as many digits as the widest one.
 */
final class FloatFormat {
    private static final int PRECISION = 8;

    private final boolean f32;
    private boolean scientific;
    private int padLeft;
    private int padRight;
    private int precision = PRECISION;
    private int minDigits;
    private int expDigits = 2;

    /** The format for an array of {@code f32} (float32) or float64 elements, the shown ones being {@code values}. */
    FloatFormat(double[] values, boolean f32) {
        this.f32 = f32;
        int finite = 0;
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        boolean negInf = false;
        for (double v : values) {
            if (Double.isFinite(v)) {
                finite++;
                if (v != 0) {
                    max = Math.max(max, Math.abs(v));
                    min = Math.min(min, Math.abs(v));
                }
            } else if (v == Double.NEGATIVE_INFINITY) {
                negInf = true;
            }
        }
        if (max > 0) {
            double ratio = f32 ? (float) (max / min) : max / min;
            scientific = max >= (f32 ? 1e6 : 1e8) || min < (f32 ? (double) 1e-4f : 1e-4) || ratio > 1000;
        }
        if (finite > 0) {
            measure(values);
        }
        if (finite < values.length) {
            int offset = padRight + 1;
            padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
        }
    }

    /** The first pass: the widths of the integer and fractional parts (and exponents) every value needs. */
    private void measure(double[] values) {
        int left = 0;
        int right = 0;
        int exp = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                continue;
            }
            String s = scientific ? scientific(v, PRECISION, 0, 2) : positional(v, PRECISION, 0);
            int e = s.indexOf('e');
            String mantissa = e < 0 ? s : s.substring(0, e);
            int dot = mantissa.indexOf('.');
            left = Math.max(left, dot);
            right = Math.max(right, mantissa.length() - dot - 1);
            if (e >= 0) {
                exp = Math.max(exp, s.length() - e - 2);
            }
        }
        padLeft = left;
        if (scientific) {
            precision = right;
            minDigits = right;
            expDigits = exp;
            padRight = exp + 2 + right;
        } else {
            padRight = right;
        }
    }

    /** One element, padded to the array's common width. */
    String format(double v) {
        if (!Double.isFinite(v)) {
            String s = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
            return " ".repeat(Math.max(0, padLeft + padRight + 1 - s.length())) + s;
        }
        String s = scientific ? scientific(v, precision, minDigits, expDigits) : positional(v, precision, 0);
        int dot = s.indexOf('.');
        StringBuilder b = new StringBuilder();
        b.append(" ".repeat(Math.max(0, padLeft - dot))).append(s);
        if (!scientific) {
            b.append(" ".repeat(Math.max(0, padRight - (s.length() - dot - 1))));
        }
        return b.toString();
    }

    /** The digits Dragon4 gives: the shortest unique ones, at most {@code most} fractional, at least {@code least}. */
    private BigDecimal digits(double v, int most, int least, boolean significant) {
        BigDecimal exact = new BigDecimal(v).abs();
        if (exact.signum() == 0) {
            return exact;
        }
        BigDecimal d = Format.shortest(Math.abs(v), f32).stripTrailingZeros();
        if (fraction(d, significant) > most) {
            d = round(exact, most, significant).stripTrailingZeros();
        }
        if (fraction(d, significant) < least) {
            d = round(exact, least, significant);
        }
        return d;
    }

    private static int fraction(BigDecimal d, boolean significant) {
        return significant ? d.precision() - 1 : Math.max(0, d.scale());
    }

    private static BigDecimal round(BigDecimal exact, int digits, boolean significant) {
        if (!significant) {
            return exact.setScale(digits, RoundingMode.HALF_EVEN);
        }
        BigDecimal r = exact.round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
        int missing = digits + 1 - r.precision();
        return missing > 0 ? r.setScale(r.scale() + missing) : r;
    }

    private String positional(double v, int most, int least) {
        BigDecimal d = digits(v, most, least, false);
        if (d.scale() < 0) {
            d = d.setScale(0);
        }
        String plain = d.toPlainString();
        return sign(v) + (plain.contains(".") ? plain : plain + ".");
    }

    private String scientific(double v, int most, int least, int minExpDigits) {
        BigDecimal d = digits(v, most, least, true);
        String unscaled;
        int exponent;
        if (d.signum() == 0) {
            unscaled = "0" + "0".repeat(least);
            exponent = 0;
        } else {
            unscaled = d.unscaledValue().toString();
            exponent = unscaled.length() - 1 - d.scale();
        }
        String exp = Integer.toString(Math.abs(exponent));
        return sign(v) + unscaled.charAt(0) + "." + unscaled.substring(1) + "e" + (exponent < 0 ? "-" : "+")
                + "0".repeat(Math.max(0, minExpDigits - exp.length())) + exp;
    }

    private static String sign(double v) {
        return v < 0 || v == 0 && 1 / v < 0 ? "-" : "";
    }
}
