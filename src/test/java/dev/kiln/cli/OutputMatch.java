package dev.kiln.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a program's output with the expected text: everything but the numbers exactly, integers
 * exactly, and floating-point numbers within a relative 2% (plus 1e-6 absolute).
 */
final class OutputMatch {
    private OutputMatch() {}

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])[-+]?(?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[eE][-+]?\\d+)?(?![\\w.])|\\bnan\\b|-?\\binf\\b");
    static final double RELATIVE = 2e-2;
    static final double ABSOLUTE = 1e-6;

    /** Null when {@code actual} matches {@code expected}, else the first difference. */
    static String problem(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        if (want.length != got.length) {
            return "expected " + want.length + " lines, got " + got.length;
        }
        for (int i = 0; i < want.length; i++) {
            String p = line(want[i], got[i]);
            if (p != null) {
                return "line " + (i + 1) + ": " + p + "\n  expected: " + want[i] + "\n  actual:   " + got[i];
            }
        }
        return null;
    }

    private static String line(String want, String got) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        if (!skeleton(want, a).equals(skeleton(got, b))) {
            return "the text differs";
        }
        if (a.size() != b.size()) {
            return "a different count of numbers";
        }
        for (int k = 0; k < a.size(); k++) {
            String x = a.get(k);
            String y = b.get(k);
            boolean integers = isInteger(x) && isInteger(y);
            if (integers ? !x.equals(y) : !close(value(x), value(y))) {
                return "number " + (k + 1) + ": expected " + x + ", got " + y;
            }
        }
        return null;
    }

    private static String skeleton(String s, List<String> numbers) {
        Matcher m = NUMBER.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            numbers.add(m.group());
            m.appendReplacement(b, "#");
        }
        m.appendTail(b);
        return b.toString();
    }

    private static boolean isInteger(String s) {
        return s.matches("[-+]?\\d+");
    }

    private static double value(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static boolean close(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
            return Double.compare(x, y) == 0;
        }
        return Math.abs(x - y) <= RELATIVE * Math.max(Math.abs(x), Math.abs(y)) + ABSOLUTE;
    }
}
