package dev.kiln.dsl;

import dev.kiln.ir.SourcePos;
import java.util.List;

/**
 * The syntax tree of one statement. Every expression knows the position of its first character, which
 * is where most messages about it point; operators and calls also keep the position of the operator
 * (or callee), to which the nodes they build are attributed.
 */
final class Ast {
    private Ast() {}

    /** An expression. */
    sealed interface Expr permits Num, Str, Lit, Name, Attr, Call, Index, Unary, Binary, Seq, Compare, BoolOp,
            Not, IfExpr, Slice, Dict, FStr, ListComp {
        /** Where the expression starts. */
        SourcePos pos();
    }

    /** An int ({@link Long}) or float ({@link Double}) literal. */
    record Num(Object value, SourcePos pos) implements Expr {}

    record Str(String value, SourcePos pos) implements Expr {}

    /** {@code None}, {@code True} or {@code False}. */
    record Lit(Object value, String text, SourcePos pos) implements Expr {}

    record Name(String name, SourcePos pos) implements Expr {}

    /** {@code obj.name}; {@code namePos} is where {@code name} is. */
    record Attr(Expr obj, String name, SourcePos namePos) implements Expr {
        public SourcePos pos() {
            return obj.pos();
        }
    }

    /** A keyword argument {@code name=value}. */
    record Keyword(String name, Expr value, SourcePos pos) {}

    /** {@code fn(args, keywords)}. */
    record Call(Expr fn, List<Expr> args, List<Keyword> keywords) implements Expr {
        public SourcePos pos() {
            return fn.pos();
        }
    }

    /** {@code obj[index]}. */
    record Index(Expr obj, Expr index, SourcePos bracket) implements Expr {
        public SourcePos pos() {
            return obj.pos();
        }
    }

    /** {@code -x} or {@code +x}. */
    record Unary(String op, Expr operand, SourcePos pos) implements Expr {}

    /**
     * {@code left op right}; {@code opPos} is where the operator is, {@code pos} where {@code left} starts
     * (kept, not recomputed, as left-associative chains can be very long).
     */
    record Binary(String op, Expr left, Expr right, SourcePos opPos, SourcePos pos) implements Expr {
        Binary(String op, Expr left, Expr right, SourcePos opPos) {
            this(op, left, right, opPos, left.pos());
        }
    }

    /** A tuple ({@code (a, b)}, {@code a, b}) or list ({@code [a, b]}) display. */
    record Seq(List<Expr> items, boolean isList, SourcePos pos) implements Expr {}

    // ---- only in whole programs

    /** {@code a < b <= c}: {@code ops.get(i)} between {@code operands.get(i)} and the next; {@code opPos} likewise. */
    record Compare(List<Expr> operands, List<String> ops, List<SourcePos> opPos) implements Expr {
        public SourcePos pos() {
            return operands.get(0).pos();
        }
    }

    /** {@code a and b}, {@code a or b}. */
    record BoolOp(String op, Expr left, Expr right) implements Expr {
        public SourcePos pos() {
            return left.pos();
        }
    }

    record Not(Expr operand, SourcePos pos) implements Expr {}

    /** {@code body if test else orElse}. */
    record IfExpr(Expr body, Expr test, Expr orElse) implements Expr {
        public SourcePos pos() {
            return body.pos();
        }
    }

    /** {@code lo:hi:step} inside brackets; each part may be null. */
    record Slice(Expr lo, Expr hi, Expr step, SourcePos pos) implements Expr {}

    record Dict(List<Expr> keys, List<Expr> values, SourcePos pos) implements Expr {}

    /** {@code [elt for target in iter if cond ...]} (a generator expression reads as a list). */
    record ListComp(Expr elt, List<Comp> clauses, SourcePos pos) implements Expr {}

    /** One {@code for target in iter if cond...} clause of a comprehension. */
    record Comp(Expr target, Expr iter, List<Expr> ifs) {}

    /** An f-string: its parts are {@link String}s and {@link Field}s. */
    record FStr(List<Object> parts, SourcePos pos) implements Expr {}

    /** A replacement field of an f-string: {@code {value!conversion:spec}}. */
    record Field(Expr value, char conversion, String spec) {}

    /** A statement. */
    sealed interface Stmt permits Import, AssignStmt, ExprStmt, AugAssign, If, For, While, With, Jump, Def, Return {
        SourcePos pos();
    }

    /** {@code import module as alias}: {@code module} is one of the supported libraries' spellings. */
    record Import(String module, String alias, SourcePos pos) implements Stmt {}

    /** {@code t1 = t2 = value}: each target is a {@link Name} or a {@link Seq} of names. */
    record AssignStmt(List<Expr> targets, Expr value, SourcePos pos) implements Stmt {}

    record ExprStmt(Expr expr, SourcePos pos) implements Stmt {}

    // ---- only in whole programs

    /** {@code target op= value}: the target is a name or an element. */
    record AugAssign(Expr target, String op, Expr value, SourcePos pos) implements Stmt {}

    /** {@code if tests[0]: bodies[0] elif ...: ... else: orElse} ({@code orElse} empty when absent). */
    record If(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> orElse, SourcePos pos) implements Stmt {}

    /** {@code for target in iter: body else: orElse}. */
    record For(Expr target, Expr iter, List<Stmt> body, List<Stmt> orElse, SourcePos pos) implements Stmt {}

    record While(Expr test, List<Stmt> body, List<Stmt> orElse, SourcePos pos) implements Stmt {}

    /** {@code with item as name: body}; {@code name} may be null. */
    record With(Expr item, Name name, List<Stmt> body, SourcePos pos) implements Stmt {}

    /** {@code break}, {@code continue} or {@code pass}. */
    record Jump(String kind, SourcePos pos) implements Stmt {}

    /** {@code def name(params, param=default): body}; {@code defaults} aligns with the last parameters. */
    record Def(String name, List<Name> params, List<Expr> defaults, List<Stmt> body, SourcePos pos) implements Stmt {}

    /** {@code return value}; value may be null. */
    record Return(Expr value, SourcePos pos) implements Stmt {}
}
