package dev.kiln.dsl;

import dev.kiln.dsl.Ast.Def;
import dev.kiln.dsl.Ast.Expr;
import dev.kiln.dsl.Ast.For;
import dev.kiln.dsl.Ast.If;
import dev.kiln.dsl.Ast.Jump;
import dev.kiln.dsl.Ast.Name;
import dev.kiln.dsl.Ast.Return;
import dev.kiln.dsl.Ast.Seq;
import dev.kiln.dsl.Ast.Stmt;
import dev.kiln.dsl.Ast.While;
import dev.kiln.dsl.Ast.With;
import dev.kiln.dsl.Token.Kind;
import dev.kiln.ir.SourcePos;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses a whole program: the simple statements of {@link Parser} and the compound ones, {@code if}/
 * {@code elif}/{@code else}, {@code for} (with {@code else}), {@code while}, {@code with ... as name},
 * {@code def}, with {@code break}, {@code continue}, {@code return} and {@code pass}. A block is the rest
 * of the line after its ':' or an indented run of statements (the lexer's INDENT and DEDENT tokens).
 * {@code break} and {@code continue} outside a loop and {@code return} outside a function are refused
 * here, as Python refuses them when compiling.
 */
final class BlockParser extends Parser {
    private static final Set<String> REFUSED = Set.of("class", "try", "except", "finally", "raise", "del", "global",
            "nonlocal", "assert", "async", "await", "yield", "lambda");
    private int loops;
    private int functions;

    BlockParser(Source src, List<Token> toks) {
        super(src, toks, true);
    }

    /** Every statement of the program. */
    List<Stmt> parseProgram() {
        List<Stmt> out = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            statement(out, true);
        }
        return out;
    }

    private void statement(List<Stmt> out, boolean topLevel) {
        Token t = peek();
        if (t.kind() == Kind.NEWLINE) {
            p++;
            return;
        }
        if (t.kind() == Kind.INDENT) {
            throw src.error(t.pos(), "unexpected indent");
        }
        if (t.isOp("@")) {
            throw src.error(t.pos(), "decorators ('@') are not supported");
        }
        if (t.kind() == Kind.NAME) {
            switch (t.text()) {
                case "if" -> {
                    out.add(ifStatement());
                    return;
                }
                case "for" -> {
                    out.add(forStatement());
                    return;
                }
                case "while" -> {
                    out.add(whileStatement());
                    return;
                }
                case "with" -> {
                    out.add(withStatement());
                    return;
                }
                case "def" -> {
                    out.add(def(topLevel));
                    return;
                }
                case "elif", "else" -> throw src.error(t.pos(), "'" + t.text() + "' without a matching 'if'");
                default -> { }
            }
        }
        simpleLine(out);
    }

    /** Simple statements separated by ';' up to the end of the line. */
    private void simpleLine(List<Stmt> out) {
        do {
            simple(out);
        } while (accept(";") && peek().kind() != Kind.NEWLINE && peek().kind() != Kind.EOF);
        endOfStatement();
    }

    private void simple(List<Stmt> out) {
        Token t = peek();
        if (t.kind() == Kind.NAME && REFUSED.contains(t.text())) {
            throw src.error(t.pos(), "'" + t.text() + "' is not supported");
        }
        Token after = tokenAt(p + 1);
        if (t.is("print") && (after.kind() == Kind.STRING || after.kind() == Kind.FSTRING || after.kind() == Kind.NUMBER
                || after.kind() == Kind.NAME && !KEYWORDS.contains(after.text()))) {
            throw src.error(t.pos(), "Missing parentheses in call to 'print'. Did you mean print(...)?");
        }
        switch (t.text()) {
            case "break", "continue" -> {
                if (t.kind() == Kind.NAME && loops == 0) {
                    throw src.error(t.pos(), "'" + t.text() + "' outside loop");
                }
            }
            case "return" -> {
                if (t.kind() == Kind.NAME && functions == 0) {
                    throw src.error(t.pos(), "'return' outside function");
                }
            }
            default -> { }
        }
        if (t.kind() == Kind.NAME && (t.text().equals("break") || t.text().equals("continue") || t.text().equals("pass"))) {
            p++;
            out.add(new Jump(t.text(), t.pos()));
        } else if (t.is("return")) {
            p++;
            boolean value = peek().kind() != Kind.NEWLINE && peek().kind() != Kind.EOF && !peek().isOp(";");
            out.add(new Return(value ? testList() : null, t.pos()));
        } else {
            statement(out);
        }
    }

    private If ifStatement() {
        Token t = next();
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        tests.add(expr());
        bodies.add(block(t));
        List<Stmt> orElse = List.of();
        while (true) {
            Token k = peek();
            if (k.is("elif")) {
                p++;
                tests.add(expr());
                bodies.add(block(k));
            } else if (k.is("else")) {
                p++;
                orElse = block(k);
                break;
            } else {
                break;
            }
        }
        return new If(tests, bodies, orElse, t.pos());
    }

    private For forStatement() {
        Token t = next();
        Expr target = targetList();
        if (!peek().is("in")) {
            throw unexpected(peek(), "expected 'in' after the loop variable, found " + peek().describe());
        }
        p++;
        Expr iter = testList();
        loops++;
        List<Stmt> body = block(t);
        loops--;
        List<Stmt> orElse = peek().is("else") ? block(next()) : List.of();
        return new For(target, iter, body, orElse, t.pos());
    }

    /** The names of a for loop: {@code i}, {@code i, (x, y)} is refused (nested), {@code i, b}. */
    private Expr targetList() {
        Token first = expectName("a loop variable after 'for'");
        checkName(first);
        if (!peek().isOp(",")) {
            return new Name(first.text(), first.pos());
        }
        List<Expr> names = new ArrayList<>(List.of(new Name(first.text(), first.pos())));
        while (accept(",")) {
            if (peek().is("in")) {
                break;
            }
            if (peek().isOp("(")) {
                throw src.error(peek().pos(), "nested unpacking is not supported");
            }
            Token n = expectName("a loop variable");
            checkName(n);
            names.add(new Name(n.text(), n.pos()));
        }
        return new Seq(names, false, first.pos());
    }

    private While whileStatement() {
        Token t = next();
        Expr test = expr();
        loops++;
        List<Stmt> body = block(t);
        loops--;
        List<Stmt> orElse = peek().is("else") ? block(next()) : List.of();
        return new While(test, body, orElse, t.pos());
    }

    private With withStatement() {
        Token t = next();
        Expr item = expr();
        Name name = null;
        if (peek().is("as")) {
            p++;
            Token n = expectName("a name after 'as'");
            checkName(n);
            name = new Name(n.text(), n.pos());
        }
        if (peek().isOp(",")) {
            throw src.error(peek().pos(), "a 'with' statement may hold only one item here; nest them");
        }
        return new With(item, name, block(t), t.pos());
    }

    private Def def(boolean topLevel) {
        Token t = next();
        if (!topLevel) {
            throw src.error(t.pos(), "functions may only be defined at the top level (nested functions are not supported)");
        }
        Token name = expectName("a function name after 'def'");
        checkName(name);
        expect("(", "expected '(' after the function's name");
        List<Name> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!peek().isOp(")")) {
            if (peek().isOp("*") || peek().isOp("**")) {
                throw src.error(peek().pos(), "'" + peek().text() + "' parameters are not supported");
            }
            Token n = expectName("a parameter name");
            checkName(n);
            if (!seen.add(n.text())) {
                throw src.error(n.pos(), "duplicate argument '" + n.text() + "' in function definition");
            }
            params.add(new Name(n.text(), n.pos()));
            if (accept("=")) {
                defaults.add(expr());
            } else if (!defaults.isEmpty()) {
                throw src.error(n.pos(), "non-default argument follows default argument");
            }
            if (!accept(",")) {
                break;
            }
        }
        expect(")", "expected ',' or ')' in the parameters");
        int savedLoops = loops;
        loops = 0;
        functions++;
        List<Stmt> body = block(t);
        functions--;
        loops = savedLoops;
        return new Def(name.text(), params, defaults, body, t.pos());
    }

    /** ':' then the block: the rest of the line, or an indented run of statements on the next lines. */
    private List<Stmt> block(Token keyword) {
        if (!peek().isOp(":")) {
            throw unexpected(peek(), "expected ':' after the '" + keyword.text() + "' line, found " + peek().describe());
        }
        Token colon = next();
        List<Stmt> body = new ArrayList<>();
        if (peek().kind() != Kind.NEWLINE) {
            simpleLine(body);
            return body;
        }
        p++;
        if (peek().kind() != Kind.INDENT) {
            // at the end of the file (a blank line) there is nothing to point at: the ':' is where the block starts
            SourcePos at = src.line(peek().pos().line()).isBlank() ? colon.pos() : peek().pos();
            throw src.error(at, "expected an indented block after the '" + keyword.text() + "' on line "
                    + keyword.pos().line());
        }
        p++;
        while (peek().kind() != Kind.DEDENT && peek().kind() != Kind.EOF) {
            statement(body, false);
        }
        if (peek().kind() == Kind.DEDENT) {
            p++;
        }
        return body;
    }

    private void checkName(Token n) {
        if (KEYWORDS.contains(n.text()) || n.text().equals("None") || n.text().equals("True") || n.text().equals("False")) {
            throw src.error(n.pos(), "'" + n.text() + "' is a keyword, not a name");
        }
    }
}
