package dev.kiln.dsl;

import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.NdArray;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Python's numeric built-ins in a program: {@code int}, {@code float}, {@code abs}, {@code min}, {@code max}, {@code sum}, {@code round}. */
final class Numeric {
    private Numeric() {}

    static Object call(Evaluator ip, String name, Params p, List<Arg> args, SourcePos at) {
        switch (name) {
            case "int": {
                p.bind(0, "x");
                return args.isEmpty() ? 0L : toInt(ip, p.get("x"), p.pos("x"));
            }
            case "float": {
                p.bind(0, "x");
                return args.isEmpty() ? 0.0 : toFloat(ip, p.get("x"), p.pos("x"));
            }
            case "abs": {
                p.bind(1, "x");
                Object x = p.get("x");
                if (x instanceof NdArray) {
                    return HostOps.numpy(ip, "abs", "abs", args, at);
                }
                if (x instanceof Long l) {
                    return Math.abs(l);
                }
                if (x instanceof Double d) {
                    return Math.abs(d);
                }
                if (x instanceof Boolean b) {
                    return b ? 1L : 0L;
                }
                throw p.error("x", "bad operand type for abs(): '" + Values.typeName(x) + "'");
            }
            case "round": {
                p.bind(1, "number", "ndigits");
                Object x = p.get("number");
                Object n = x instanceof NdArray a && a.isScalar() ? a.item() : x;
                if (!(n instanceof Long) && !(n instanceof Double) && !(n instanceof Boolean)) {
                    throw p.error("number", "type " + Values.typeName(x) + " doesn't define __round__ method");
                }
                if (!p.given("ndigits")) {
                    if (n instanceof Double d) {
                        if (!Double.isFinite(d)) {
                            throw p.error("number", "cannot convert float " + ProgramValues.repr(d) + " to integer");
                        }
                        return new BigDecimal(d).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                    }
                    return n instanceof Boolean b ? (b ? 1L : 0L) : n;
                }
                long digits = ProgramEval.integer(ip, p.get("ndigits"), p.pos("ndigits"), "ndigits");
                if (n instanceof Double d) {
                    return PyBuiltins.round(d, (int) Math.max(-400, Math.min(400, digits)));
                }
                return n;
            }
            default:
                return minMaxSum(ip, name, p, args, at);
        }
    }

    private static Object minMaxSum(Evaluator ip, String name, Params p, List<Arg> args, SourcePos at) {
        List<Object> items = new ArrayList<>();
        Object start = 0L;
        if (name.equals("sum")) {
            p.bind(1, "iterable", "start");
            PyBuiltins.iterator(ip, p, "iterable").forEachRemaining(items::add);
            if (p.given("start")) {
                start = p.get("start");
            }
        } else if (args.size() == 1 && args.get(0).name() == null) {
            p.bind(1, "iterable");
            PyBuiltins.iterator(ip, p, "iterable").forEachRemaining(items::add);
            if (items.isEmpty()) {
                throw ip.src().error(at, name + "() arg is an empty sequence");
            }
        } else {
            for (Arg a : args) {
                if (a.name() != null) {
                    throw ip.src().error(a.pos(), name + "() got an unexpected keyword argument '" + a.name() + "'");
                }
                items.add(a.value());
            }
            if (items.isEmpty()) {
                throw ip.src().error(at, name + " expected at least 1 argument, got 0");
            }
        }
        if (name.equals("sum")) {
            Object acc = start;
            for (Object x : items) {
                acc = ip.operators().add(acc, x, at);
            }
            return acc;
        }
        Iterator<Object> it = items.iterator();
        Object best = it.next();
        while (it.hasNext()) {
            Object x = it.next();
            if (ip.truth(Comparisons.compare(ip, name.equals("min") ? "<" : ">", x, best, at), at)) {
                best = x;
            }
        }
        return best;
    }

    static long toInt(Evaluator ip, Object x, SourcePos pos) {
        Object n = x instanceof NdArray a && a.size() == 1 ? a.item() : x;
        if (n instanceof Long l) {
            return l;
        } else if (n instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (n instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw ip.src().error(pos, "cannot convert float " + ProgramValues.repr(d) + " to integer");
            }
            return (long) (double) d;
        } else if (n instanceof String s) {
            try {
                return Long.parseLong(s.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw ip.src().error(pos, "invalid literal for int() with base 10: " + ProgramValues.quote(s));
            }
        }
        throw ip.src().error(pos, "int() argument must be a string or a number, not '" + Values.typeName(x) + "'");
    }

    static double toFloat(Evaluator ip, Object x, SourcePos pos) {
        Object n = x instanceof NdArray a && a.size() == 1 ? a.item() : x;
        if (n instanceof Long l) {
            return l;
        } else if (n instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (n instanceof Double d) {
            return d;
        } else if (n instanceof String s) {
            String t = s.strip().toLowerCase(java.util.Locale.ROOT);
            switch (t) {
                case "nan", "+nan", "-nan" -> {
                    return Double.NaN;
                }
                case "inf", "+inf", "infinity", "+infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf", "-infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> { }
            }
            if (Lexer.isNumber(t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t)) {
                return Double.parseDouble(t.replace("_", ""));
            }
            throw ip.src().error(pos, "could not convert string to float: " + ProgramValues.quote(s));
        }
        throw ip.src().error(pos, "float() argument must be a string or a real number, not '" + Values.typeName(x) + "'");
    }
}
