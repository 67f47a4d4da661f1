package dev.kiln.dsl;

import dev.kiln.dsl.Ast.BoolOp;
import dev.kiln.dsl.Ast.Compare;
import dev.kiln.dsl.Ast.Dict;
import dev.kiln.dsl.Ast.Expr;
import dev.kiln.dsl.Ast.FStr;
import dev.kiln.dsl.Ast.Field;
import dev.kiln.dsl.Ast.IfExpr;
import dev.kiln.dsl.Ast.Not;
import dev.kiln.dsl.Ast.Seq;
import dev.kiln.dsl.Ast.Slice;
import dev.kiln.dsl.Token.Kind;
import dev.kiln.ir.SourcePos;
import java.util.ArrayList;
import java.util.List;

/**
 * The expressions only whole programs have, parsed with Python's precedence: conditionals
 * ({@code a if c else b}) below {@code or}, below {@code and}, below {@code not}, below comparisons
 * (chained, with {@code in}, {@code not in}, {@code is}, {@code is not}), below the arithmetic of
 * {@link ExprParser}; and, as primaries, subscripts with slices, dict displays and f-strings.
 */
final class ProgramExprs {
    private ProgramExprs() {}

    static Expr test(ExprParser ps) {
        Token t = ps.peek();
        if (t.is("lambda")) {
            throw ps.src.error(t.pos(), "'lambda' is not supported; define the function with 'def'");
        }
        Expr body = or(ps);
        if (!ps.peek().is("if")) {
            return body;
        }
        ps.p++;
        Expr cond = or(ps);
        if (!ps.peek().is("else")) {
            throw ps.src.error(ps.peek().pos(), "expected 'else' in the conditional expression, found "
                    + ps.peek().describe());
        }
        ps.p++;
        return new IfExpr(body, cond, test(ps));
    }

    private static Expr or(ExprParser ps) {
        Expr left = and(ps);
        while (ps.peek().is("or")) {
            ps.p++;
            left = new BoolOp("or", left, and(ps));
        }
        return left;
    }

    private static Expr and(ExprParser ps) {
        Expr left = not(ps);
        while (ps.peek().is("and")) {
            ps.p++;
            left = new BoolOp("and", left, not(ps));
        }
        return left;
    }

    private static Expr not(ExprParser ps) {
        Token t = ps.peek();
        if (t.is("not")) {
            ps.p++;
            ps.enter(t);
            Expr operand = not(ps);
            ps.leave();
            return new Not(operand, t.pos());
        }
        return comparison(ps);
    }

    private static Expr comparison(ExprParser ps) {
        Expr first = ps.arith();
        List<Expr> operands = new ArrayList<>(List.of(first));
        List<String> ops = new ArrayList<>();
        List<SourcePos> where = new ArrayList<>();
        while (true) {
            Token t = ps.peek();
            String op = comparator(ps, t);
            if (op == null) {
                break;
            }
            ops.add(op);
            where.add(t.pos());
            operands.add(ps.arith());
        }
        return ops.isEmpty() ? first : new Compare(operands, ops, where);
    }

    /** The comparison operator at {@code t} (consumed), or null. */
    private static String comparator(ExprParser ps, Token t) {
        if (t.kind() == Kind.OP && switch (t.text()) {
            case "==", "!=", "<", ">", "<=", ">=" -> true;
            default -> false;
        }) {
            ps.p++;
            return t.text();
        }
        if (t.is("in")) {
            ps.p++;
            return "in";
        }
        if (t.is("not") && ps.tokenAt(ps.p + 1).is("in")) {
            ps.p += 2;
            return "not in";
        }
        if (t.is("is")) {
            ps.p++;
            if (ps.peek().is("not")) {
                ps.p++;
                return "is not";
            }
            return "is";
        }
        return null;
    }

    /** What is inside {@code [...]}: one subscript, or a tuple of them; each an expression or a slice. */
    static Expr subscripts(ExprParser ps) {
        Expr first = subscript(ps);
        if (!ps.peek().isOp(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (ps.accept(",")) {
            if (ps.peek().isOp("]")) {
                break;
            }
            items.add(subscript(ps));
        }
        return new Seq(items, false, first.pos());
    }

    private static Expr subscript(ExprParser ps) {
        SourcePos at = ps.peek().pos();
        Expr lo = ps.peek().isOp(":") ? null : ps.expr();
        if (!ps.accept(":")) {
            return lo;
        }
        Expr hi = bound(ps) ? ps.expr() : null;
        Expr step = null;
        if (ps.accept(":")) {
            step = bound(ps) ? ps.expr() : null;
        }
        return new Slice(lo, hi, step, at);
    }

    private static boolean bound(ExprParser ps) {
        Token t = ps.peek();
        return !t.isOp(":") && !t.isOp(",") && !t.isOp("]");
    }

    /** {@code { k: v, ... }} from after its '{'; sets and comprehensions are refused. */
    static Expr dict(ExprParser ps, Token open) {
        ps.enter(open);
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!ps.peek().isOp("}")) {
            Expr k = ps.expr();
            if (!ps.peek().isOp(":")) {
                throw ps.src.error(k.pos(), "sets are not supported (a dict needs 'key: value')");
            }
            ps.p++;
            keys.add(k);
            values.add(ps.expr());
            if (ps.peek().is("for")) {
                throw ps.src.error(ps.peek().pos(), "comprehensions are not supported");
            }
            if (!ps.accept(",")) {
                break;
            }
        }
        ps.expect("}", "expected ',' or '}' in the dict");
        ps.leave();
        return new Dict(keys, values, open.pos());
    }

    /** The clauses of a comprehension whose element is {@code elt}, from its first 'for'. */
    static Expr comprehension(ExprParser ps, Expr elt, SourcePos at) {
        List<Ast.Comp> clauses = new ArrayList<>();
        while (ps.peek().is("for")) {
            ps.p++;
            Expr target = targets(ps);
            if (!ps.peek().is("in")) {
                throw ps.unexpected(ps.peek(), "expected 'in' in the comprehension, found " + ps.peek().describe());
            }
            ps.p++;
            Expr iter = or(ps);
            List<Expr> ifs = new ArrayList<>();
            while (ps.peek().is("if")) {
                ps.p++;
                ifs.add(or(ps));
            }
            clauses.add(new Ast.Comp(target, iter, ifs));
        }
        return new Ast.ListComp(elt, clauses, at);
    }

    /** {@code a} or {@code a, b}: the names a comprehension's clause binds. */
    private static Expr targets(ExprParser ps) {
        Token first = ps.expectName("a name after 'for'");
        if (!ps.peek().isOp(",")) {
            return new Ast.Name(first.text(), first.pos());
        }
        List<Expr> names = new ArrayList<>(List.of(new Ast.Name(first.text(), first.pos())));
        while (ps.accept(",")) {
            Token n = ps.expectName("a name");
            names.add(new Ast.Name(n.text(), n.pos()));
        }
        return new Seq(names, false, first.pos());
    }

    /** An f-string token's parts, each field's expression parsed from its own tokens. */
    static Expr fstring(ExprParser ps, Token t) {
        List<Object> parts = new ArrayList<>();
        for (Object part : (List<?>) t.value()) {
            if (part instanceof Token.FPart f) {
                ExprParser sub = new ExprParser(ps.src, f.tokens(), true);
                Expr e = sub.testList();
                if (sub.peek().kind() != Kind.EOF) {
                    throw sub.unexpected(sub.peek(), "f-string: expecting '}', found " + sub.peek().describe());
                }
                parts.add(new Field(e, f.conversion(), f.spec()));
            } else {
                parts.add(part);
            }
        }
        Expr e = new FStr(parts, t.pos());
        while (ps.peek().kind() == Kind.STRING || ps.peek().kind() == Kind.FSTRING) {
            throw ps.src.error(ps.peek().pos(), "implicit concatenation with an f-string is not supported; use +");
        }
        return e;
    }

    /** A string literal followed by more ({@code "a" "b"}), concatenated as Python does, in a program. */
    static String concatenated(ExprParser ps, String first) {
        if (!ps.program) {
            return first;
        }
        StringBuilder b = new StringBuilder(first);
        while (ps.peek().kind() == Kind.STRING) {
            b.append((String) ps.next().value());
        }
        return b.toString();
    }
}
