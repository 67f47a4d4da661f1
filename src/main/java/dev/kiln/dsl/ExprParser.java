package dev.kiln.dsl;

import dev.kiln.dsl.Ast.Attr;
import dev.kiln.dsl.Ast.Binary;
import dev.kiln.dsl.Ast.Call;
import dev.kiln.dsl.Ast.Expr;
import dev.kiln.dsl.Ast.Index;
import dev.kiln.dsl.Ast.Keyword;
import dev.kiln.dsl.Ast.Lit;
import dev.kiln.dsl.Ast.Name;
import dev.kiln.dsl.Ast.Num;
import dev.kiln.dsl.Ast.Seq;
import dev.kiln.dsl.Ast.Str;
import dev.kiln.dsl.Ast.Unary;
import dev.kiln.dsl.Token.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The expression half of the parser: Python's grammar and precedence for the subset Kiln reads,
 * {@code + -} below {@code * / // % @}, below unary {@code + -}, below the right-associative {@code **},
 * below calls, attributes and indexing. Left-associative chains are built in loops; everything that
 * recurses (brackets, unary operators, {@code **}, postfix operations) counts towards
 * {@link #MAX_DEPTH}, so no input can exhaust the stack.
 */
class ExprParser {
    /** How deeply brackets, unary operators, {@code **} and postfix operations may nest. */
    static final int MAX_DEPTH = 200;

    static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "as", "import", "from",
            "pass", "def", "class", "for", "while", "if", "with", "try", "return", "del", "raise", "global",
            "nonlocal", "assert", "break", "continue", "elif", "else", "except", "finally", "async", "yield",
            "lambda", "await");
    private static final Set<String> LITERALS = Set.of("None", "True", "False");
    static final Set<String> AUGMENTED = Set.of("+=", "-=", "*=", "/=", "//=", "%=", "@=", "**=", "&=", "|=", "^=");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");

    final Source src;
    private final List<Token> toks;
    /** A whole program: comparisons, {@code and}/{@code or}/{@code not}, conditionals, slices, dicts, f-strings. */
    final boolean program;
    int p;
    private int depth;

    ExprParser(Source src, List<Token> toks, boolean program) {
        this.src = src;
        this.toks = toks;
        this.program = program;
    }

    /** An error about the unexpected token {@code t}, explaining Python features Kiln does not read. */
    ScriptException unexpected(Token t, String otherwise) {
        if (t.kind() == Kind.OP && AUGMENTED.contains(t.text())) {
            return src.error(t.pos(), "augmented assignment ('" + t.text() + "') is not supported; write x = x "
                    + t.text().substring(0, t.text().length() - 1) + " ...");
        }
        if (t.kind() == Kind.OP && COMPARISONS.contains(t.text())) {
            return src.error(t.pos(), "comparisons ('" + t.text() + "') are not supported");
        }
        if (t.kind() == Kind.NAME && KEYWORDS.contains(t.text())) {
            return src.error(t.pos(), "'" + t.text() + "' is not supported here");
        }
        return src.error(t.pos(), otherwise);
    }

    // ---- expressions

    /** {@code expr (, expr)* [,]}: a tuple when there is a comma. */
    Expr testList() {
        Expr first = expr();
        if (!peek().isOp(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (accept(",")) {
            if (!startsExpr(peek())) {
                break;
            }
            items.add(expr());
        }
        return new Seq(items, false, first.pos());
    }

    /** One expression: in a program, Python's {@code test} (conditionals, boolean operators, comparisons). */
    Expr expr() {
        return program ? ProgramExprs.test(this) : arith();
    }

    /** The operators above comparisons: {@code | ^ & + - * / // % @}, unary operators, {@code **}, postfix. */
    Expr arith() {
        return binary(1);
    }

    private static int precedence(Token t) {
        if (t.kind() != Kind.OP) {
            return -1;
        }
        return switch (t.text()) {
            case "|" -> 1;
            case "^" -> 2;
            case "&" -> 3;
            case "+", "-" -> 4;
            case "*", "/", "//", "%", "@" -> 5;
            default -> -1;
        };
    }

    /** Precedence climbing; left-associative chains are built in a loop. */
    private Expr binary(int minPrec) {
        Expr left = unary();
        while (precedence(peek()) >= minPrec) {
            Token op = next();
            Expr right = binary(precedence(op) + 1);
            left = new Binary(op.text(), left, right, op.pos());
        }
        return left;
    }

    private Expr unary() {
        Token t = peek();
        if (t.isOp("-") || t.isOp("+") || t.isOp("~")) {
            p++;
            enter(t);
            Expr operand = unary();
            depth--;
            return new Unary(t.text(), operand, t.pos());
        }
        return power();
    }

    private Expr power() {
        Expr base = postfix();
        if (peek().isOp("**")) {
            Token op = next();
            enter(op);
            Expr exponent = unary();
            depth--;
            return new Binary("**", base, exponent, op.pos());
        }
        return base;
    }

    private Expr postfix() {
        Expr e = primary();
        int saved = depth;
        while (true) {
            Token t = peek();
            if (t.isOp("(")) {
                enter(t);
                p++;
                e = callArgs(e);
            } else if (t.isOp(".")) {
                enter(t);
                p++;
                Token name = expectName("an attribute name after '.'");
                e = new Attr(e, name.text(), name.pos());
            } else if (t.isOp("[")) {
                enter(t);
                p++;
                Expr index = program ? ProgramExprs.subscripts(this) : expr();
                if (peek().isOp(":")) {
                    throw src.error(peek().pos(), "slicing is not supported");
                }
                expect("]", "expected ']' after the index");
                e = new Index(e, index, t.pos());
            } else {
                depth = saved;
                return e;
            }
        }
    }

    private Call callArgs(Expr fn) {
        List<Expr> args = new ArrayList<>();
        List<Keyword> keywords = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!peek().isOp(")")) {
            Token t = peek();
            if (t.kind() == Kind.NAME && toks.get(p + 1).isOp("=") && !KEYWORDS.contains(t.text())
                    && !LITERALS.contains(t.text())) {
                p += 2;
                if (!seen.add(t.text())) {
                    throw src.error(t.pos(), "keyword argument '" + t.text() + "' is repeated");
                }
                keywords.add(new Keyword(t.text(), expr(), t.pos()));
            } else {
                if (t.isOp("*") || t.isOp("**")) {
                    throw src.error(t.pos(), "'" + t.text() + "' arguments are not supported");
                }
                Expr a = expr();
                if (!keywords.isEmpty()) {
                    throw src.error(a.pos(), "positional argument follows keyword argument");
                }
                if (peek().is("for") && program && args.isEmpty()) {
                    a = ProgramExprs.comprehension(this, a, a.pos());
                }
                args.add(a);
            }
            if (peek().is("for")) {
                throw src.error(peek().pos(), "comprehensions are not supported");
            }
            if (!accept(",")) {
                break;
            }
        }
        if (!peek().isOp(")")) {
            throw unexpected(peek(), "expected ',' or ')' in the arguments, found " + peek().describe());
        }
        p++;
        return new Call(fn, args, keywords);
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER:
                return new Num(t.value(), t.pos());
            case STRING:
                return new Str(ProgramExprs.concatenated(this, (String) t.value()), t.pos());
            case FSTRING:
                return ProgramExprs.fstring(this, t);
            case NAME:
                switch (t.text()) {
                    case "None":
                        return new Lit(Values.NONE, "None", t.pos());
                    case "True":
                        return new Lit(Boolean.TRUE, "True", t.pos());
                    case "False":
                        return new Lit(Boolean.FALSE, "False", t.pos());
                    default:
                        if (KEYWORDS.contains(t.text())) {
                            throw src.error(t.pos(), "'" + t.text() + "' is not supported here");
                        }
                        return new Name(t.text(), t.pos());
                }
            case OP:
                if (t.text().equals("(") || t.text().equals("[")) {
                    return bracketed(t);
                }
                if (t.text().equals("{")) {
                    return ProgramExprs.dict(this, t);
                }
                if (program && (t.text().equals("*") || t.text().equals("**"))) {
                    throw src.error(t.pos(), "'" + t.text() + "' unpacking is not supported");
                }
                break;
            default:
                break;
        }
        throw unexpected(t, "expected an expression, found " + t.describe());
    }

    /** {@code ( )}, {@code (e)}, {@code (e,)}, {@code (a, b)}, {@code [ ]}, {@code [a, b]}. */
    private Expr bracketed(Token open) {
        enter(open);
        boolean list = open.text().equals("[");
        String close = list ? "]" : ")";
        List<Expr> items = new ArrayList<>();
        boolean comma = false;
        while (!peek().isOp(close)) {
            items.add(expr());
            if (peek().is("for") && program && items.size() == 1) {
                Expr comp = ProgramExprs.comprehension(this, items.get(0), open.pos());
                expect(close, "expected '" + close + "' after the comprehension");
                depth--;
                return comp;
            }
            if (peek().is("for")) {
                throw src.error(peek().pos(), "comprehensions are not supported");
            }
            if (!accept(",")) {
                break;
            }
            comma = true;
        }
        if (!peek().isOp(close)) {
            throw unexpected(peek(), "expected ',' or '" + close + "', found " + peek().describe());
        }
        p++;
        depth--;
        if (!list && items.size() == 1 && !comma) {
            return items.get(0);
        }
        return new Seq(items, list, open.pos());
    }

    // ---- tokens

    boolean startsExpr(Token t) {
        return switch (t.kind()) {
            case NUMBER, STRING, FSTRING -> true;
            case NAME -> !KEYWORDS.contains(t.text()) || (program && (t.text().equals("not") || t.text().equals("lambda")));
            case OP -> t.text().equals("(") || t.text().equals("[") || t.text().equals("-") || t.text().equals("+")
                    || t.text().equals("{") || t.text().equals("~") || (program && t.text().equals("*"));
            default -> false;
        };
    }

    void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw src.error(at.pos(), "expression nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
    }

    Token peek() {
        return toks.get(p);
    }

    Token tokenAt(int k) {
        return toks.get(Math.min(k, toks.size() - 1));
    }

    Token next() {
        Token t = toks.get(p);
        if (t.kind() != Kind.EOF) {
            p++;
        }
        return t;
    }

    boolean accept(String op) {
        if (peek().isOp(op)) {
            p++;
            return true;
        }
        return false;
    }

    void leave() {
        depth--;
    }

    void expect(String op, String message) {
        if (!accept(op)) {
            throw unexpected(peek(), message + ", found " + peek().describe());
        }
    }

    Token expectName(String what) {
        Token t = peek();
        if (t.kind() != Kind.NAME) {
            throw src.error(t.pos(), "expected " + what + ", found " + t.describe());
        }
        p++;
        return t;
    }
}
