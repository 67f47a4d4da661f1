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
        int[] cp = spec.codePoints().toArray();
        int pos = 0;
        int fill = ' ';
        char align = defaultAlign;
        boolean fillGiven = false;
        boolean alignGiven = false;
        if (cp.length >= 2 && isAlign(cp[1])) {
            fill = cp[0];
            align = (char) cp[1];
            fillGiven = alignGiven = true;
            pos = 2;
        } else if (cp.length >= 1 && isAlign(cp[0])) {
            align = (char) cp[0];
            alignGiven = true;
            pos = 1;
        }
        char sign = 0;
        if (pos < cp.length && (cp[pos] == '+' || cp[pos] == '-' || cp[pos] == ' ')) {
            sign = (char) cp[pos++];
        }
        boolean noNegativeZero = pos < cp.length && cp[pos] == 'z';
        if (noNegativeZero) {
            pos++;
        }
        boolean alternate = pos < cp.length && cp[pos] == '#';
        if (alternate) {
            pos++;
        }
        // A leading zero before the width means zero padding; numbers then pad between sign and digits.
        if (!fillGiven && pos < cp.length && cp[pos] == '0') {
            fill = '0';
            if (!alignGiven && defaultAlign == '>') {
                align = '=';
            }
            pos++;
        }
        int widthStart = pos;
        pos = skipDigits(cp, pos);
        int width = pos == widthStart ? -1 : number(cp, widthStart, pos);
        char grouping = 0;
        if (pos < cp.length && cp[pos] == ',') {
            grouping = ',';
            pos++;
        }
        if (pos < cp.length && cp[pos] == '_') {
            if (grouping != 0) {
                throw bothSeparators();
            }
            grouping = '_';
            pos++;
        }
        if (pos < cp.length && cp[pos] == ',') {
            throw grouping == '_' ? bothSeparators() : separatorWithType(',', ',');
        }
        int precision = -1;
        if (pos < cp.length && cp[pos] == '.') {
            int start = ++pos;
            pos = skipDigits(cp, pos);
            if (pos == start) {
                throw PyFormat.error("ValueError", "Format specifier missing precision");
            }
            precision = number(cp, start, pos);
        }
        if (cp.length - pos > 1) {
            throw PyFormat.error("ValueError",
                    "Invalid format specifier '" + spec + "' for object of type '" + typeName + "'");
        }
        int type = pos < cp.length ? cp[pos] : defaultType;
        int groupSize = 3;
        if (grouping != 0) {
            switch (type) {
                case 'd', 'e', 'f', 'g', 'E', 'G', '%', 'F', 0 -> { }
                case 'b', 'o', 'x', 'X' -> {
                    if (grouping != '_') {
                        throw separatorWithType(grouping, type);
                    }
                    groupSize = 4;
                }
                default -> throw separatorWithType(grouping, type);
            }
        }
        return new PyFormatSpec(fill, align, sign, noNegativeZero, alternate, width, grouping, groupSize, precision,
                type);
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

    private static int skipDigits(int[] cp, int pos) {
        while (pos < cp.length && cp[pos] >= '0' && cp[pos] <= '9') {
            pos++;
        }
        return pos;
    }

    /** A width or precision; Python refuses more than fits a machine word, and no width that large could print. */
    private static int number(int[] cp, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            int digit = cp[i] - '0';
            if (n > (Long.MAX_VALUE - digit) / 10) {
                throw PyFormat.error("ValueError", "Too many decimal digits in format string");
            }
            n = n * 10 + digit;
        }
        if (n > Integer.MAX_VALUE - 64) {
            throw PyFormat.error("MemoryError", "");
        }
        return (int) n;
    }

    private static PyFormat.FormatError bothSeparators() {
        return PyFormat.error("ValueError", "Cannot specify both ',' and '_'.");
    }

    private static PyFormat.FormatError separatorWithType(char separator, int type) {
        return PyFormat.error("ValueError", "Cannot specify '" + separator + "' with '" + quoted(type) + "'.");
    }
}
