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
    sealed interface Expr permits Num, Str, Lit, Name, Attr, Call, Index, Unary, Binary, Seq {
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

    /** A statement. */
    sealed interface Stmt permits Import, AssignStmt, ExprStmt {
        SourcePos pos();
    }

    /** {@code import module as alias}: {@code module} is one of the supported libraries' spellings. */
    record Import(String module, String alias, SourcePos pos) implements Stmt {}

    /** {@code t1 = t2 = value}: each target is a {@link Name} or a {@link Seq} of names. */
    record AssignStmt(List<Expr> targets, Expr value, SourcePos pos) implements Stmt {}

    record ExprStmt(Expr expr, SourcePos pos) implements Stmt {}
}
