package dev.kiln.dsl;

import dev.kiln.dsl.Ast.Unary;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.Arith;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NumpyException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operators on the values only whole programs have: NumPy arrays and scalars (NumPy's arithmetic,
 * {@link Arith}; with a tensor, the array becomes a constant), strings ({@code +}, {@code *}, and
 * {@code %} formatting), lists and tuples ({@code +}, {@code *}), and booleans as the ints they are.
 */
final class ProgramOperators {
    private ProgramOperators() {}

    /** True when {@code l op r} is this class's to compute. */
    static boolean handles(Object l, Object r) {
        return (l instanceof NdArray || r instanceof NdArray) && !(l instanceof Node) && !(r instanceof Node)
                || l instanceof String || r instanceof String
                || l instanceof Boolean || r instanceof Boolean
                || (l instanceof PySeq || r instanceof PySeq) && !(l instanceof Node) && !(r instanceof Node);
    }

    static Object binary(Evaluator ip, String op, Object l, Object r, SourcePos at) {
        if (l instanceof String s && op.equals("%")) {
            return Text.percent(ip, s, r, at);
        }
        if (l instanceof NdArray || r instanceof NdArray) {
            return ProgramEval.arith(ip, op, l, r, at);
        }
        if (l instanceof String s) {
            if (op.equals("%")) {
                return Text.percent(ip, s, r, at);
            }
            if (op.equals("+") && r instanceof String t) {
                return s + t;
            }
            if (op.equals("*") && (r instanceof Long || r instanceof Boolean)) {
                return s.repeat(times(ip, s.length(), ProgramEval.integer(ip, r, at, "count"), at, "string", "character"));
            }
        } else if (r instanceof String t && op.equals("*") && (l instanceof Long || l instanceof Boolean)) {
            return t.repeat(times(ip, t.length(), ProgramEval.integer(ip, l, at, "count"), at, "string", "character"));
        } else if (l instanceof Boolean || r instanceof Boolean) {
            Object x = l instanceof Boolean b ? (Object) (b ? 1L : 0L) : l;
            Object y = r instanceof Boolean b ? (Object) (b ? 1L : 0L) : r;
            if (!(x instanceof Boolean) && !(y instanceof Boolean)) {
                return ip.operators().binary(new Ast.Binary(op, new Ast.Name("_", at), new Ast.Name("_", at), at), x, y);
            }
        } else if (l instanceof PySeq a) {
            if (op.equals("+") && r instanceof PySeq b && a.isList() == b.isList()) {
                List<Object> items = new ArrayList<>(a.items());
                items.addAll(b.items());
                return new PySeq(items, null, a.isList());
            }
            if (op.equals("*") && r instanceof Long n) {
                int times = times(ip, a.items().size(), n, at, a.isList() ? "list" : "tuple", "item");
                List<Object> items = new ArrayList<>();
                for (long k = 0; k < times; k++) {
                    items.addAll(a.items());
                }
                return new PySeq(items, null, a.isList());
            }
        }
        throw ip.src().error(at, "unsupported operand type(s) for " + op + ": '" + Values.typeName(l) + "' and '"
                + Values.typeName(r) + "'");
    }

    /** The most items a Java array, so a string or a list, can hold. */
    static final long MAX_ITEMS = Integer.MAX_VALUE - 8;

    /**
     * How many times a sequence of {@code length} {@code unit}s is repeated by {@code * count} (0 for a
     * negative count); one too long to build is an error at once, not after minutes of filling the heap.
     */
    private static int times(Evaluator ip, long length, long count, SourcePos at, String what, String unit) {
        if (count <= 0 || length == 0) {
            return 0; // empty either way
        }
        if (count > MAX_ITEMS / length) {
            throw ip.src().error(at, "MemoryError: the repeated " + what + " would have more than " + MAX_ITEMS + " "
                    + unit + "s (" + length + " times " + count + ")");
        }
        return (int) count;
    }

    static Object unary(Evaluator ip, Unary u, Object v) {
        if (v instanceof NdArray) {
            try {
                return Arith.unary(u.op(), v);
            } catch (NumpyException e) {
                throw ip.src().error(u.pos(), ProgramEval.numpyMessage(e));
            }
        }
        if (v instanceof Boolean b) {
            long x = b ? 1 : 0;
            return u.op().equals("-") ? -x : u.op().equals("~") ? ~x : x;
        }
        if (u.op().equals("~") && v instanceof Long l) {
            return ~l;
        }
        throw ip.src().error(u.pos(), "bad operand type for unary " + u.op() + ": '" + Values.typeName(v) + "'");
    }
}
