package dev.kiln.numpy;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code str} and {@code repr} of arrays and NumPy scalars as NumPy 2 writes them with its default print
 * options: line width 75, arrays of more than 1000 elements summarized to 3 items at each edge of every axis
 * with {@code ...}, elements of one width per array ({@link FloatFormat} for floats), rows of a matrix on
 * lines of their own and a blank line between the blocks of higher dimensions.
 */
final class ArrayPrinter {
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private ArrayPrinter() {}

    /** {@code str(a)}. */
    static String str(NdArray a) {
        if (a.ndim() == 0) {
            return scalar(a);
        }
        return a.size() == 0 ? "[]" : array2string(a, " ", "", LINE_WIDTH);
    }

    /** {@code repr(a)}. */
    static String repr(NdArray a) {
        if (a.isScalar()) {
            if (a.dtype() == NpType.BOOL) {
                return a.longs[0] != 0 ? "np.True_" : "np.False_";
            }
            return "np." + a.dtype().numpyName() + "(" + scalar(a) + ")";
        }
        String prefix = "array(";
        String body = a.size() == 0 ? "[]" : array2string(a, ", ", prefix, LINE_WIDTH - 1);
        List<String> extras = new ArrayList<>();
        int[] shape = a.shapeRef();
        if (a.size() == 0 && !(shape.length == 1 && shape[0] == 0) || a.size() > THRESHOLD) {
            extras.add("shape=" + Shapes.str(shape));
        }
        boolean implied = a.dtype() == NpType.FLOAT64 || a.dtype() == NpType.INT64 || a.dtype() == NpType.BOOL;
        if (!implied || a.size() == 0) {
            extras.add("dtype=" + a.dtype().numpyName());
        }
        if (extras.isEmpty()) {
            return prefix + body + ")";
        }
        String head = prefix + body + ",";
        String tail = String.join(", ", extras) + ")";
        int lastLine = head.length() - (head.lastIndexOf('\n') + 1);
        String spacer = lastLine + tail.length() + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length()) : " ";
        return head + spacer + tail;
    }

    /** The one element of a 0-d array or scalar as Python prints the scalar. */
    private static String scalar(NdArray a) {
        return switch (a.dtype()) {
            case BOOL -> a.longs[0] != 0 ? "True" : "False";
            case INT32, INT64 -> Long.toString(a.longs[0]);
            case FLOAT32 -> Format.float32((float) a.doubles[0]);
            case FLOAT64 -> Format.float64(a.doubles[0]);
        };
    }

    /** How one element is written. */
    private interface ElementFormat {
        String format(int flatIndex);
    }

    private static String array2string(NdArray a, String separator, String prefix, int lineWidth) {
        boolean summarize = a.size() > THRESHOLD;
        int[] shown = shown(a.shapeRef(), summarize);
        ElementFormat f = formatFor(a, shown);
        return new Recurser(a.shapeRef(), f, separator, summarize).format(0, 0, " " + " ".repeat(prefix.length()),
                lineWidth);
    }

    /** The flat indices of the elements printed: all of them, or the corners of a summarized array. */
    private static int[] shown(int[] shape, boolean summarize) {
        List<Integer> out = new ArrayList<>();
        collect(shape, Shapes.strides(shape), 0, 0, summarize, out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void collect(int[] shape, int[] strides, int axis, int offset, boolean summarize, List<Integer> out) {
        if (axis == shape.length) {
            out.add(offset);
            return;
        }
        int n = shape[axis];
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                i = n - EDGE_ITEMS;
            }
            collect(shape, strides, axis + 1, offset + i * strides[axis], summarize, out);
        }
    }

    private static ElementFormat formatFor(NdArray a, int[] shown) {
        switch (a.dtype()) {
            case BOOL: {
                String trueText = a.ndim() == 0 ? "True" : " True";
                return i -> a.longs[i] != 0 ? trueText : "False";
            }
            case INT32:
            case INT64: {
                long max = Long.MIN_VALUE;
                long min = Long.MAX_VALUE;
                for (int i : shown) {
                    max = Math.max(max, a.longs[i]);
                    min = Math.min(min, a.longs[i]);
                }
                int width = Math.max(Long.toString(max).length(), Long.toString(min).length());
                return i -> pad(Long.toString(a.longs[i]), width);
            }
            default: {
                double[] values = new double[shown.length];
                for (int k = 0; k < shown.length; k++) {
                    values[k] = a.doubles[shown[k]];
                }
                FloatFormat f = new FloatFormat(values, a.dtype() == NpType.FLOAT32);
                return i -> f.format(a.doubles[i]);
            }
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** NumPy's {@code _formatArray}: nested brackets, wrapped rows, summaries. */
    private static final class Recurser {
        private final int[] shape;
        private final int[] strides;
        private final ElementFormat f;
        private final String separator;
        private final boolean summarize;

        Recurser(int[] shape, ElementFormat f, String separator, boolean summarize) {
            this.shape = shape;
            this.strides = Shapes.strides(shape);
            this.f = f;
            this.separator = separator;
            this.summarize = summarize;
        }

        String format(int axis, int offset, String hangingIndent, int currWidth) {
            int axesLeft = shape.length - axis;
            if (axesLeft == 0) {
                return f.format(offset);
            }
            String nextIndent = hangingIndent + " ";
            int nextWidth = currWidth - 1;
            int len = shape[axis];
            boolean showSummary = summarize && 2 * EDGE_ITEMS < len;
            int leading = showSummary ? EDGE_ITEMS : 0;
            int trailing = showSummary ? EDGE_ITEMS : len;
            StringBuilder s = new StringBuilder();
            if (axesLeft == 1) {
                int elemWidth = currWidth - Math.max(separator.stripTrailing().length(), 1);
                StringBuilder line = new StringBuilder(hangingIndent);
                for (int i = 0; i < leading; i++) {
                    extend(s, line, format(axis + 1, offset + i * strides[axis], nextIndent, nextWidth), elemWidth,
                            hangingIndent);
                    line.append(separator);
                }
                if (showSummary) {
                    extend(s, line, "...", elemWidth, hangingIndent);
                    line.append(separator);
                }
                for (int i = trailing; i > 1; i--) {
                    extend(s, line, format(axis + 1, offset + (len - i) * strides[axis], nextIndent, nextWidth),
                            elemWidth, hangingIndent);
                    line.append(separator);
                }
                extend(s, line, format(axis + 1, offset + (len - 1) * strides[axis], nextIndent, nextWidth),
                        elemWidth, hangingIndent);
                s.append(line);
            } else {
                String lineSep = separator.stripTrailing() + "\n".repeat(axesLeft - 1);
                for (int i = 0; i < leading; i++) {
                    s.append(hangingIndent).append(format(axis + 1, offset + i * strides[axis], nextIndent, nextWidth))
                            .append(lineSep);
                }
                if (showSummary) {
                    s.append(hangingIndent).append("...").append(lineSep);
                }
                for (int i = trailing; i > 1; i--) {
                    s.append(hangingIndent)
                            .append(format(axis + 1, offset + (len - i) * strides[axis], nextIndent, nextWidth))
                            .append(lineSep);
                }
                s.append(hangingIndent).append(format(axis + 1, offset + (len - 1) * strides[axis], nextIndent,
                        nextWidth));
            }
            return "[" + s.substring(hangingIndent.length()) + "]";
        }

        /** Adds a word to the line, first moving to a new line when it would pass the width (NumPy's _extendLine_pretty). */
        private static void extend(StringBuilder s, StringBuilder line, String word, int width, String indent) {
            String[] words = word.split("\n", -1);
            if (words.length == 1) {
                if (line.length() + word.length() > width && line.length() > indent.length()) {
                    s.append(line.toString().stripTrailing()).append('\n');
                    line.setLength(0);
                    line.append(indent);
                }
                line.append(word);
                return;
            }
            int maxLen = 0;
            for (String w : words) {
                maxLen = Math.max(maxLen, w.length());
            }
            String wordIndent;
            if (line.length() + maxLen > width && line.length() > indent.length()) {
                s.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(indent).append(words[0]);
                wordIndent = indent;
            } else {
                wordIndent = " ".repeat(line.length());
                line.append(words[0]);
            }
            for (int i = 1; i < words.length; i++) {
                s.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(wordIndent).append(words[i]);
            }
            line.append(" ".repeat(maxLen - words[words.length - 1].length()));
        }
    }
}
