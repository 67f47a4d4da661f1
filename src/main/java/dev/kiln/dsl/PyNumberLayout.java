package dev.kiln.dsl;

/**
 * How Python's {@code format} lays a number out in its field:
 * {@code [padding][sign][prefix][padding][grouped digits][rest][padding]}, where the rest is whatever follows
 * the integer digits (point, fraction, exponent, {@code %}) and at most one of the paddings is used, chosen by
 * the alignment. When zero padding sits between sign and digits ({@code '0='}, what a bare leading {@code 0}
 * means for numbers), the zeros count as digits, so separators go between them too: {@code format(1234, '08,')}
 * is {@code 0,001,234}.
 */
final class PyNumberLayout {
    private PyNumberLayout() {}

    /**
     * @param negative whether the number carries a minus sign
     * @param prefix {@code 0x}, {@code 0o} or {@code 0b} when asked for, else empty
     * @param digits the integer digits, which take separators; empty for inf, nan and the {@code c} type
     * @param rest what follows the digits
     */
    static String layOut(PyFormatSpec spec, boolean negative, String prefix, String digits, String rest) {
        String sign = negative ? "-" : spec.sign() == '+' ? "+" : spec.sign() == ' ' ? " " : "";
        int others = sign.length() + prefix.length() + rest.codePointCount(0, rest.length());
        int minDigits = spec.fill() == '0' && spec.align() == '=' ? spec.width() - others : 0;
        String grouped = digits.isEmpty() ? "" : group(digits, spec.grouping(), spec.groupSize(), minDigits);
        int padding = Math.max(0, spec.width() - others - grouped.length());
        String fill = Character.toString(spec.fill());
        int left = switch (spec.align()) {
            case '>' -> padding;
            case '^' -> padding / 2;
            default -> 0;
        };
        int between = spec.align() == '=' ? padding : 0;
        int right = padding - left - between;
        return fill.repeat(left) + sign + prefix + fill.repeat(between) + grouped + rest + fill.repeat(right);
    }

    /**
     * {@code digits} with {@code separator} (0 for none) between groups of {@code size} from the right, widened
     * with leading zeros (and separators between them) to at least {@code minWidth} characters. A group of
     * zeros is only cut short where the width is reached, so the result may overshoot it by one separator
     * ({@code 0,001,234} for width 8).
     */
    static String group(String digits, char separator, int size, int minWidth) {
        int groupSize = separator == 0 ? Integer.MAX_VALUE : size;
        StringBuilder reversed = new StringBuilder();
        int remaining = digits.length();
        int width = Math.max(0, minWidth);
        while (true) {
            int len = Math.min(groupSize, Math.max(Math.max(remaining, width), 1));
            int taken = Math.min(remaining, len);
            for (int i = 0; i < taken; i++) {
                reversed.append(digits.charAt(remaining - 1 - i));
            }
            reversed.append("0".repeat(len - taken));
            remaining -= taken;
            width -= len;
            if (remaining <= 0 && width <= 0) {
                break;
            }
            reversed.append(separator);
            width--;
        }
        return reversed.reverse().toString();
    }
}
