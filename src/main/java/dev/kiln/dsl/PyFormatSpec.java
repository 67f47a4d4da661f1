package dev.kiln.dsl;

/**
 * A parsed format specification, the text after the colon in {@code '{:>+#010,.3f}'}: Python's
 * {@code [[fill]align][sign][z][#][0][width][grouping][.precision][type]}. Parsing checks only what the spec
 * alone can tell (its shape, and which types take a grouping separator); what a spec means for a given
 * kind of value is checked by the formatter of that kind.
 *
 * @param fill the fill character, a code point ({@code ' '} unless given)
 * @param align {@code '<'}, {@code '>'}, {@code '^'} or {@code '='}, the value kind's default when not given
 * @param sign {@code '+'}, {@code '-'}, {@code ' '}, or 0 when not given
 * @param noNegativeZero the {@code z} option: a negative zero after rounding prints without its sign
 * @param alternate the {@code #} option
 * @param width the minimum width in code points, -1 when not given
 * @param grouping {@code ','}, {@code '_'}, or 0 when not given
 * @param groupSize digits between separators: 3, or 4 for {@code '_'} with types b, o, x and X
 * @param precision -1 when not given
 * @param type the presentation type, a code point, 0 when not given
 */
record PyFormatSpec(int fill, char align, char sign, boolean noNegativeZero, boolean alternate, int width,
        char grouping, int groupSize, int precision, int type) {

    /**
     * Parses {@code spec} for a value of Python type {@code typeName} whose presentation type, when the spec
     * gives none, is {@code defaultType} (s for str, d for int, 0 for float: a str thus refuses a grouping
     * separator) and whose default alignment is {@code defaultAlign}.
     */
    static PyFormatSpec parse(String spec, String typeName, int defaultType, char defaultAlign) {
        Reader r = new Reader(spec.codePoints().toArray());
        int fill = ' ';
        char align = defaultAlign;
        boolean fillGiven = false;
        boolean alignGiven = false;
        if (r.left() >= 2 && isAlign(r.peek(1))) {
            fill = r.next();
            align = (char) r.next();
            fillGiven = alignGiven = true;
        } else if (r.left() >= 1 && isAlign(r.peek(0))) {
            align = (char) r.next();
            alignGiven = true;
        }
        char sign = r.take('+') ? '+' : r.take('-') ? '-' : r.take(' ') ? ' ' : 0;
        boolean noNegativeZero = r.take('z');
        boolean alternate = r.take('#');
        // A leading zero before the width means zero padding; numbers then pad between sign and digits.
        if (!fillGiven && r.take('0')) {
            fill = '0';
            if (!alignGiven && defaultAlign == '>') {
                align = '=';
            }
        }
        int width = r.number();
        char grouping = grouping(r);
        int precision = -1;
        if (r.take('.')) {
            precision = r.number();
            if (precision < 0) {
                throw PyFormat.error("ValueError", "Format specifier missing precision");
            }
        }
        if (r.left() > 1) {
            throw PyFormat.error("ValueError",
                    "Invalid format specifier '" + spec + "' for object of type '" + typeName + "'");
        }
        int type = r.left() == 1 ? r.next() : defaultType;
        return new PyFormatSpec(fill, align, sign, noNegativeZero, alternate, width, grouping,
                groupSize(grouping, type), precision, type);
    }

    /** The spec's code points and how far parsing has read. */
    private static final class Reader {
        private final int[] cp;
        private int pos;

        Reader(int[] cp) {
            this.cp = cp;
        }

        int left() {
            return cp.length - pos;
        }

        int peek(int ahead) {
            return cp[pos + ahead];
        }

        int next() {
            return cp[pos++];
        }

        boolean take(int c) {
            boolean present = pos < cp.length && cp[pos] == c;
            if (present) {
                pos++;
            }
            return present;
        }

        /** A width or precision; -1 when no digit follows. Python refuses more than fits a machine word. */
        int number() {
            int start = pos;
            long n = 0;
            for (; pos < cp.length && cp[pos] >= '0' && cp[pos] <= '9'; pos++) {
                int digit = cp[pos] - '0';
                if (n > (Long.MAX_VALUE - digit) / 10) {
                    throw PyFormat.error("ValueError", "Too many decimal digits in format string");
                }
                n = n * 10 + digit;
            }
            if (n > Integer.MAX_VALUE - 64) {
                throw PyFormat.error("MemoryError", "");
            }
            return pos == start ? -1 : (int) n;
        }
    }

    /** The grouping option: at most one of {@code ,} and {@code _}. */
    private static char grouping(Reader r) {
        char grouping = r.take(',') ? ',' : 0;
        if (r.take('_')) {
            if (grouping != 0) {
                throw bothSeparators();
            }
            grouping = '_';
        }
        if (r.take(',')) {
            throw grouping == '_' ? bothSeparators() : separatorWithType(',', ',');
        }
        return grouping;
    }

    /** Digits between separators, refusing a separator the type does not take. */
    private static int groupSize(char grouping, int type) {
        if (grouping == 0) {
            return 3;
        }
        return switch (type) {
            case 'd', 'e', 'f', 'g', 'E', 'G', '%', 'F', 0 -> 3;
            case 'b', 'o', 'x', 'X' -> {
                if (grouping != '_') {
                    throw separatorWithType(grouping, type);
                }
                yield 4;
            }
            default -> throw separatorWithType(grouping, type);
        };
    }

    /** The type as Python's messages quote it: the character itself when printable ASCII, else {@code \xNN}. */
    static String quoted(int code) {
        return code > 32 && code < 128 ? String.valueOf((char) code) : "\\x" + Integer.toHexString(code);
    }

    /** Python's complaint about a presentation type this kind of value does not have. */
    static PyFormat.FormatError unknownType(int type, String typeName) {
        return PyFormat.error("ValueError",
                "Unknown format code '" + quoted(type) + "' for object of type '" + typeName + "'");
    }

    private static boolean isAlign(int c) {
        return c == '<' || c == '>' || c == '=' || c == '^';
    }

    private static PyFormat.FormatError bothSeparators() {
        return PyFormat.error("ValueError", "Cannot specify both ',' and '_'.");
    }

    private static PyFormat.FormatError separatorWithType(char separator, int type) {
        return PyFormat.error("ValueError", "Cannot specify '" + separator + "' with '" + quoted(type) + "'.");
    }
}
