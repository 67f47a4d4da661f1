package dev.kiln.dsl;

import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.NdArray;
import java.util.Iterator;
import java.util.List;

/**
 * Python's comparison operators on a program's values: numbers by value, strings, lists and tuples
 * item by item, {@code is} by identity, {@code in} by membership; NumPy arrays elementwise (NumPy's
 * result); a tensor compared with {@code <} and the like builds a {@code tf.less}-style node, and
 * {@code ==} on tensors is identity, as in TensorFlow 1.
 */
final class Comparisons {
    private Comparisons() {}

    static Object compare(Evaluator ip, String op, Object l, Object r, SourcePos at) {
        switch (op) {
            case "is":
                return same(l, r);
            case "is not":
                return !same(l, r);
            case "in":
                return contains(ip, r, l, at);
            case "not in":
                return !contains(ip, r, l, at);
            default:
                break;
        }
        if (l instanceof NdArray || r instanceof NdArray) {
            return ProgramEval.arith(ip, op, l, r, at);
        }
        if (l instanceof Node || r instanceof Node) {
            if (op.equals("==") || op.equals("!=")) {
                return op.equals("==") == (l == r);
            }
            return ip.building(at, () -> {
                Node x = ip.convert().node(l, at, "the left operand");
                Node y = ip.convert().node(r, at, "the right operand");
                return switch (op) {
                    case "<" -> ip.tf().math().less(x, y);
                    case "<=" -> ip.tf().math().lessEqual(x, y);
                    case ">" -> ip.tf().math().greater(x, y);
                    default -> ip.tf().math().greaterEqual(x, y);
                };
            });
        }
        if (op.equals("==")) {
            return equal(l, r);
        }
        if (op.equals("!=")) {
            return !equal(l, r);
        }
        int c = order(ip, op, l, r, at);
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static boolean same(Object l, Object r) {
        if (l instanceof Boolean || l instanceof Long || l instanceof Double) {
            return l.equals(r) && (l instanceof Boolean || !(l instanceof Long) || ((Long) l) < 257);
        }
        return l == r;
    }

    /** Python's {@code ==} on non-array values. */
    static boolean equal(Object l, Object r) {
        if (num(l) && num(r)) {
            return Values.toDouble(asNumber(l)) == Values.toDouble(asNumber(r));
        }
        if (l instanceof PySeq a && r instanceof PySeq b) {
            if (a.isList() != b.isList() || a.items().size() != b.items().size()) {
                return false;
            }
            for (int i = 0; i < a.items().size(); i++) {
                if (!equal(a.items().get(i), b.items().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (dtypeName(l) != null && dtypeName(r) != null) {
            return dtypeName(l).equals(dtypeName(r)); // a.dtype == np.float32, a.dtype == 'float32'
        }
        if (l instanceof String || l instanceof Boolean) {
            return l.equals(r);
        }
        if (l instanceof PyDict a && r instanceof PyDict b) {
            return a.map().equals(b.map());
        }
        return l == r;
    }

    /** The NumPy name of a dtype (an array's, {@code np.float32}, or a dtype's name as a string), else null. */
    private static String dtypeName(Object v) {
        if (v instanceof dev.kiln.numpy.NpType t) {
            return t.numpyName();
        }
        if (v instanceof Values.DTypeValue d) {
            return d.name();
        }
        return null;
    }

    private static boolean num(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    private static Object asNumber(Object v) {
        return v instanceof Boolean b ? (b ? 1L : 0L) : v;
    }

    /** Python's ordering of two values for sorting: negative, zero or positive; an error when they have none. */
    static int order(Evaluator ip, Object l, Object r, SourcePos at) {
        if (l instanceof NdArray || r instanceof NdArray) {
            return ip.truth(ProgramEval.arith(ip, "<", l, r, at), at) ? -1 : ip.truth(ProgramEval.arith(ip, "<", r, l, at), at) ? 1 : 0;
        }
        return order(ip, "<", l, r, at);
    }

    private static int order(Evaluator ip, String op, Object l, Object r, SourcePos at) {
        if (num(l) && num(r)) {
            return Double.compare(Values.toDouble(asNumber(l)), Values.toDouble(asNumber(r)));
        }
        if (l instanceof String a && r instanceof String b) {
            return a.compareTo(b);
        }
        if (l instanceof PySeq a && r instanceof PySeq b && a.isList() == b.isList()) {
            List<Object> x = a.items();
            List<Object> y = b.items();
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return order(ip, op, x.get(i), y.get(i), at);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw ip.src().error(at, "'" + op + "' not supported between instances of '" + Values.typeName(l) + "' and '"
                + Values.typeName(r) + "'");
    }

    private static boolean contains(Evaluator ip, Object container, Object item, SourcePos at) {
        if (container instanceof String s) {
            if (!(item instanceof String i)) {
                throw ip.src().error(at, "'in <string>' requires string as left operand, not " + Values.typeName(item));
            }
            return s.contains(i);
        }
        if (container instanceof PyDict d) {
            return d.map().containsKey(ProgramEval.key(ip, item, at));
        }
        Iterator<Object> it = ProgramValues.iterate(container);
        if (it == null || container instanceof Values.PyIter) {
            throw ip.src().error(at, "argument of type '" + Values.typeName(container) + "' is not iterable");
        }
        while (it.hasNext()) {
            Object x = it.next();
            if (x instanceof NdArray || item instanceof NdArray) {
                Object eq = ProgramEval.arith(ip, "==", x, item, at);
                if (ip.truth(eq, at)) {
                    return true;
                }
            } else if (equal(x, item)) {
                return true;
            }
        }
        return false;
    }
}
