package dev.kiln.dsl;

import dev.kiln.dsl.Ast.Binary;
import dev.kiln.dsl.Ast.Unary;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import java.util.function.Supplier;

/**
 * The arithmetic operators: on two plain numbers they compute (see {@link Numbers}); when a tensor is
 * involved they build nodes, a number or nested list operand becoming a constant, as TensorFlow's
 * operator overloads do. {@code x ** c} needs a constant exponent and becomes {@code tf.pow(x, c)};
 * {@code a @ b} is {@code tf.matmul(a, b)}. Nodes are attributed to the operator.
 */
final class Operators {
    private final Evaluator ip;
    private final Source src;
    private final Tf tf;
    private final Convert convert;

    Operators(Evaluator ip) {
        this.ip = ip;
        this.src = ip.src();
        this.tf = ip.tf();
        this.convert = ip.convert();
    }

    /** {@code -v} or {@code +v}. */
    Object unary(Unary u, Object v) {
        if (ip.program() != null && (v instanceof dev.kiln.numpy.NdArray || v instanceof Boolean || u.op().equals("~"))) {
            return ProgramOperators.unary(ip, u, v);
        }
        if (Values.isNumber(v)) {
            return u.op().equals("-") ? numbers(u.pos(), () -> Numbers.negate(v)) : v;
        }
        if (v instanceof Node n) {
            return u.op().equals("-") ? ip.building(u.pos(), () -> tf.neg(n)) : n;
        }
        throw src.error(u.pos(), "bad operand type for unary " + u.op() + ": '" + Values.typeName(v) + "'");
    }

    /** {@code l op r}, where {@code l} and {@code r} are the values of {@code b}'s operands. */
    Object binary(Binary b, Object l, Object r) {
        String op = b.op();
        SourcePos at = b.opPos();
        if (ip.program() != null && ProgramOperators.handles(l, r)) {
            return ProgramOperators.binary(ip, op, l, r, at);
        }
        if (Values.isNumber(l) && Values.isNumber(r) && !op.equals("@")) {
            return numbers(at, () -> Numbers.binary(op, l, r));
        }
        boolean tensors = (l instanceof Node || r instanceof Node) && tensorLike(l) && tensorLike(r);
        if (op.equals("**")) {
            if (r instanceof Node) {
                throw src.error(b.right().pos(), "pow needs a constant exponent");
            }
            if ((l instanceof Node || l instanceof PySeq) && Values.isNumber(r)) {
                float exponent = convert.toFloat(r, b.right().pos(), "the exponent");
                return ip.building(at, () -> tf.pow(convert.node(l, b.left().pos(), "the base"), exponent));
            }
        } else if (tensors) {
            if (op.equals("//") || op.equals("%")) {
                throw src.error(at, "'" + op + "' is only supported on numbers, not tensors");
            }
            return ip.building(at, () -> {
                Node x = convert.node(l, b.left().pos(), "the left operand");
                Node y = convert.node(r, b.right().pos(), "the right operand");
                return switch (op) {
                    case "+" -> tf.add(x, y);
                    case "-" -> tf.sub(x, y);
                    case "*" -> tf.mul(x, y);
                    case "/" -> tf.div(x, y);
                    default -> tf.matmul(x, y);
                };
            });
        }
        throw src.error(at, "unsupported operand types for " + op + ": '" + Values.typeName(l) + "' and '"
                + Values.typeName(r) + "'");
    }

    /** {@code l + r} at {@code at} (for {@code sum}). */
    Object add(Object l, Object r, SourcePos at) {
        return binary(new Binary("+", new Ast.Name("_", at), new Ast.Name("_", at), at), l, r);
    }

    private static boolean tensorLike(Object v) {
        return v instanceof Node || Values.isNumber(v) || v instanceof PySeq || v instanceof dev.kiln.numpy.NdArray;
    }

    private Object numbers(SourcePos at, Supplier<Object> f) {
        try {
            return f.get();
        } catch (Numbers.Error e) {
            throw src.error(at, e.getMessage());
        }
    }
}
