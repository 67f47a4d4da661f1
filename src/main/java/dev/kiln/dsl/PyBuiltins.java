package dev.kiln.dsl;

import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PyIter;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.dsl.Values.Range;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.NdArray;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Python's built-in functions a whole program may call: {@code print}, {@code range}, {@code len},
 * {@code enumerate}, {@code zip}, {@code str}, {@code repr}, {@code int}, {@code float}, {@code bool},
 * {@code abs}, {@code min}, {@code max}, {@code sum}, {@code round}, {@code list}, {@code tuple},
 * {@code dict}, {@code sorted}, {@code format}.
 */
final class PyBuiltins {
    private PyBuiltins() {}

    private static final Set<String> NAMES = Set.of("print", "range", "len", "enumerate", "zip", "str", "repr",
            "int", "float", "bool", "abs", "min", "max", "sum", "round", "list", "tuple", "dict", "sorted", "format");

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Object call(Evaluator ip, String name, List<Arg> args, SourcePos at) {
        Params p = Params.of(ip, name, args, at);
        switch (name) {
            case "print":
                return print(ip, args, at);
            case "range":
                return range(ip, args, at);
            case "len": {
                p.bind(1, "obj");
                long n = ProgramValues.length(p.get("obj"));
                if (n < 0) {
                    throw p.error("obj", "object of type '" + Values.typeName(p.get("obj")) + "' has no len()");
                }
                return n;
            }
            case "enumerate": {
                p.bind(1, "iterable", "start");
                Iterator<Object> it = iterator(ip, p, "iterable");
                long start = p.given("start") ? ProgramEval.integer(ip, p.get("start"), p.pos("start"), "start") : 0;
                return new PyIter("enumerate", new Iterator<>() {
                    long k = start;

                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public Object next() {
                        return new PySeq(new ArrayList<>(List.of(k++, it.next())), null, false);
                    }
                });
            }
            case "zip": {
                List<Iterator<Object>> its = new ArrayList<>();
                for (Arg a : args) {
                    if (a.name() != null) {
                        throw ip.src().error(a.pos(), "zip() takes no keyword arguments");
                    }
                    Iterator<Object> it = ProgramValues.iterate(a.value());
                    if (it == null) {
                        throw ip.src().error(a.pos(), ProgramValues.notIterable(a.value()));
                    }
                    its.add(it);
                }
                return new PyIter("zip", new Iterator<>() {
                    public boolean hasNext() {
                        return !its.isEmpty() && its.stream().allMatch(Iterator::hasNext);
                    }

                    public Object next() {
                        List<Object> items = new ArrayList<>();
                        its.forEach(i -> items.add(i.next()));
                        return new PySeq(items, null, false);
                    }
                });
            }
            case "str":
                p.bind(0, "object");
                return p.given("object") || p.get("object") == Values.NONE && !args.isEmpty() ? ProgramValues.str(p.get("object")) : "";
            case "repr":
                p.bind(1, "obj");
                return ProgramValues.repr(p.get("obj"));
            case "format":
                p.bind(1, "value", "format_spec");
                return Text.format(ip, p.get("value"), p.given("format_spec") ? p.string("format_spec") : "", at);
            case "bool":
                p.bind(0, "x");
                return !args.isEmpty() && ip.truth(p.get("x"), p.pos("x"));
            case "list", "tuple", "sorted": {
                p.bind(name.equals("sorted") ? 1 : 0, "iterable");
                List<Object> items = new ArrayList<>();
                if (!args.isEmpty() && ProgramValues.length(p.get("iterable")) > ProgramOperators.MAX_ITEMS) {
                    throw p.error("iterable", "MemoryError: " + name + "() of " + ProgramValues.length(p.get("iterable"))
                            + " items, more than " + ProgramOperators.MAX_ITEMS);
                }
                if (!args.isEmpty()) {
                    iterator(ip, p, "iterable").forEachRemaining(items::add);
                }
                if (name.equals("sorted")) {
                    items.sort((x, y) -> Comparisons.order(ip, x, y, at));
                }
                return new PySeq(items, null, !name.equals("tuple"));
            }
            case "dict":
                p.bind(0);
                return new PyDict(new LinkedHashMap<>());
            default:
                return Numeric.call(ip, name, p, args, at);
        }
    }

    static Iterator<Object> iterator(Evaluator ip, Params p, String param) {
        Iterator<Object> it = ProgramValues.iterate(p.get(param));
        if (it == null) {
            throw p.error(param, ProgramValues.notIterable(p.get(param)));
        }
        return it;
    }

    private static Object print(Evaluator ip, List<Arg> args, SourcePos at) {
        String sep = " ";
        String end = "\n";
        StringBuilder b = new StringBuilder();
        int k = 0;
        for (Arg a : args) {
            if (a.name() == null) {
                continue;
            }
            switch (a.name()) {
                case "sep" -> sep = a.value() == Values.NONE ? " " : text(ip, a, "sep");
                case "end" -> end = a.value() == Values.NONE ? "\n" : text(ip, a, "end");
                case "flush" -> { }
                default -> throw ip.src().error(a.pos(), "print() got an unexpected keyword argument '" + a.name() + "'"
                        + (a.name().equals("file") ? " (printing to files is not supported)" : ""));
            }
        }
        for (Arg a : args) {
            if (a.name() == null) {
                b.append(k++ > 0 ? sep : "").append(ProgramValues.str(a.value()));
            }
        }
        ip.program().out().print(b.append(end));
        return Values.NONE;
    }

    private static String text(Evaluator ip, Arg a, String what) {
        if (!(a.value() instanceof String s)) {
            throw ip.src().error(a.pos(), what + " must be None or a string, not " + Values.typeName(a.value()));
        }
        return s;
    }

    private static Range range(Evaluator ip, List<Arg> args, SourcePos at) {
        long[] v = new long[args.size()];
        if (args.isEmpty() || args.size() > 3) {
            throw ip.src().error(at, "range expected 1 to 3 arguments, got " + args.size());
        }
        for (int k = 0; k < args.size(); k++) {
            Arg a = args.get(k);
            if (a.name() != null) {
                throw ip.src().error(a.pos(), "range() takes no keyword arguments");
            }
            Object x = a.value();
            if (!(x instanceof Long) && !(x instanceof Boolean) && !(x instanceof NdArray n && n.isScalar() && n.dtype().isInteger())) {
                throw ip.src().error(a.pos(), "'" + Values.typeName(x) + "' object cannot be interpreted as an integer");
            }
            v[k] = ProgramEval.integer(ip, x, a.pos(), "range arguments");
        }
        long start = v.length == 1 ? 0 : v[0];
        long stop = v.length == 1 ? v[0] : v[1];
        long step = v.length == 3 ? v[2] : 1;
        if (step == 0) {
            throw ip.src().error(args.get(2).pos(), "range() arg 3 must not be zero");
        }
        return new Range(start, stop, step);
    }

    /** Python's {@code round(x, n)}: the exact binary value rounded half to even. */
    static double round(double x, int digits) {
        if (!Double.isFinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }
}
