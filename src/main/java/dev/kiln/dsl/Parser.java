package dev.kiln.dsl;

import dev.kiln.dsl.Ast.AssignStmt;
import dev.kiln.dsl.Ast.Attr;
import dev.kiln.dsl.Ast.Call;
import dev.kiln.dsl.Ast.Expr;
import dev.kiln.dsl.Ast.ExprStmt;
import dev.kiln.dsl.Ast.Import;
import dev.kiln.dsl.Ast.Index;
import dev.kiln.dsl.Ast.Lit;
import dev.kiln.dsl.Ast.Name;
import dev.kiln.dsl.Ast.Num;
import dev.kiln.dsl.Ast.Seq;
import dev.kiln.dsl.Ast.Stmt;
import dev.kiln.dsl.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the statements of a script: imports, assignments ({@code a = ...}, {@code a, b = ...},
 * {@code a = b = ...}) and expression statements, one per logical line (or separated by {@code ;}).
 */
class Parser extends ExprParser {
    private static final Set<String> STATEMENT_KEYWORDS = Set.of("def", "class", "for", "while", "if", "with",
            "try", "return", "del", "raise", "global", "nonlocal", "assert", "break", "continue", "elif", "else",
            "except", "finally", "async");

    Parser(Source src, List<Token> toks) {
        this(src, toks, false);
    }

    Parser(Source src, List<Token> toks, boolean program) {
        super(src, toks, program);
    }

    /** Every statement of the script, in order. */
    List<Stmt> parseAll() {
        List<Stmt> out = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            if (peek().kind() == Kind.NEWLINE || peek().isOp(";")) {
                p++;
                continue;
            }
            statement(out);
            endOfStatement();
        }
        return out;
    }

    /** One simple statement (not a block), added to {@code out}. */
    void statement(List<Stmt> out) {
        Token t = peek();
        if (t.kind() == Kind.NAME) {
            switch (t.text()) {
                case "import" -> {
                    p++;
                    imports(out);
                    return;
                }
                case "from" -> {
                    if (program && tokenAt(p + 1).is("__future__") && tokenAt(p + 2).is("import")) {
                        futureImport();
                        return;
                    }
                    throw src.error(t.pos(),
                            "'from' imports are not supported; use 'import tensorflow as tf' or 'import numpy as np'");
                }
                case "pass" -> {
                    p++;
                    return;
                }
                default -> {
                    if (STATEMENT_KEYWORDS.contains(t.text())) {
                        throw src.error(t.pos(), "'" + t.text() + "' statements are not supported");
                    }
                }
            }
        }
        Expr first = testList();
        if (program && peek().kind() == Kind.OP && AUGMENTED.contains(peek().text())) {
            Token op = next();
            if (!(first instanceof Name) && !(first instanceof Index)) {
                throw src.error(first.pos(), "illegal expression for augmented assignment");
            }
            out.add(new Ast.AugAssign(first, op.text().substring(0, op.text().length() - 1), testList(), op.pos()));
            return;
        }
        if (!peek().isOp("=")) {
            out.add(new ExprStmt(first, first.pos()));
            return;
        }
        List<Expr> parts = new ArrayList<>(List.of(first));
        Token eq = peek();
        while (peek().isOp("=")) {
            p++;
            parts.add(testList());
        }
        Expr value = parts.remove(parts.size() - 1);
        for (Expr target : parts) {
            checkTarget(target);
        }
        out.add(new AssignStmt(parts, value, eq.pos()));
    }

    private void imports(List<Stmt> out) {
        do {
            Token first = expectName("a module name after 'import'");
            StringBuilder module = new StringBuilder(first.text());
            while (peek().isOp(".")) {
                p++;
                module.append('.').append(expectName("a module name after '.'").text());
            }
            String m = module.toString();
            if (!m.equals("tensorflow") && !m.equals("tensorflow.compat.v1") && !m.equals("numpy")) {
                throw src.error(first.pos(), "cannot import '" + m + "': only tensorflow (or tensorflow.compat.v1)"
                        + " and numpy can be imported");
            }
            String alias = first.text();
            if (peek().is("as")) {
                p++;
                Token a = expectName("a name after 'as'");
                if (KEYWORDS.contains(a.text())) {
                    throw src.error(a.pos(), "'" + a.text() + "' is a keyword, not a name");
                }
                alias = a.text();
            }
            out.add(new Import(m, alias, first.pos()));
        } while (accept(","));
    }

    /** {@code from __future__ import print_function, division}: Python 3 already behaves so; nothing to do. */
    private void futureImport() {
        p += 3;
        do {
            Token name = expectName("a feature after 'from __future__ import'");
            if (!Set.of("print_function", "division", "absolute_import", "unicode_literals", "generators",
                    "nested_scopes", "with_statement").contains(name.text())) {
                throw src.error(name.pos(), "future feature " + name.text() + " is not defined");
            }
        } while (accept(","));
    }

    private void checkTarget(Expr target) {
        if (target instanceof Name || (program && target instanceof Index)) {
            return;
        }
        if (target instanceof Seq s && !s.items().isEmpty()) {
            for (Expr e : s.items()) {
                if (e instanceof Seq) {
                    throw src.error(e.pos(), "nested unpacking is not supported");
                }
                checkTarget(e);
            }
            return;
        }
        String what = target instanceof Call ? "a function call"
                : target instanceof Lit l ? l.text()
                : target instanceof Num ? "a number"
                : target instanceof Attr ? "an attribute"
                : target instanceof Index ? "an element"
                : target instanceof Seq s ? "an empty " + (s.isList() ? "list" : "tuple")
                : "an expression";
        throw src.error(target.pos(), "cannot assign to " + what);
    }

    void endOfStatement() {
        Token t = peek();
        if (t.kind() == Kind.NEWLINE || t.kind() == Kind.EOF || t.isOp(";")) {
            if (t.kind() != Kind.EOF) {
                p++;
            }
            return;
        }
        throw unexpected(t, "expected end of line, found " + t.describe());
    }
}
