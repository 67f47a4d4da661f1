package dev.kiln.dsl;

import dev.kiln.dsl.Ast.AugAssign;
import dev.kiln.dsl.Ast.Binary;
import dev.kiln.dsl.Ast.Def;
import dev.kiln.dsl.Ast.For;
import dev.kiln.dsl.Ast.If;
import dev.kiln.dsl.Ast.Jump;
import dev.kiln.dsl.Ast.Return;
import dev.kiln.dsl.Ast.Stmt;
import dev.kiln.dsl.Ast.While;
import dev.kiln.dsl.Ast.With;
import dev.kiln.numpy.Arith;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NumpyException;
import java.util.Iterator;
import java.util.List;

/**
 * Runs the compound statements of a whole program: {@code if}, {@code for}, {@code while}, {@code with},
 * {@code def}, and the jumps. {@code break}, {@code continue} and {@code return} unwind as signals (no
 * stack trace is filled in). An error inside a loop's body names the iteration it happened in.
 */
final class Statements {
    private Statements() {}

    /** {@code break} or {@code continue} on its way to the loop. */
    static final class JumpSignal extends RuntimeException {
        final boolean isBreak;

        JumpSignal(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    /** {@code return value} on its way to the call. */
    static final class ReturnSignal extends RuntimeException {
        final transient Object value;

        ReturnSignal(Object value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    private static final JumpSignal BREAK = new JumpSignal(true);
    private static final JumpSignal CONTINUE = new JumpSignal(false);

    static void exec(Evaluator ip, Stmt s) {
        if (s instanceof If i) {
            for (int k = 0; k < i.tests().size(); k++) {
                if (ip.truth(ip.evalExpr(i.tests().get(k)), i.tests().get(k).pos())) {
                    block(ip, i.bodies().get(k));
                    return;
                }
            }
            block(ip, i.orElse());
        } else if (s instanceof For f) {
            forLoop(ip, f);
        } else if (s instanceof While w) {
            whileLoop(ip, w);
        } else if (s instanceof With w) {
            with(ip, w);
        } else if (s instanceof AugAssign a) {
            Object old = ip.evalExpr(a.target());
            Object right = ip.evalExpr(a.value());
            Object v = old instanceof NdArray arr && !arr.isScalar() ? inPlace(ip, a, arr, right)
                    : ip.operators().binary(new Binary(a.op(), a.target(), a.value(), a.pos()), old, right);
            ip.store(a.target(), v, a.value());
        } else if (s instanceof Jump j) {
            switch (j.kind()) {
                case "break" -> throw BREAK;
                case "continue" -> throw CONTINUE;
                default -> { }
            }
        } else if (s instanceof Def d) {
            ip.store(new Ast.Name(d.name(), d.pos()), new Values.UserFunc(d), null);
        } else if (s instanceof Return r) {
            throw new ReturnSignal(r.value() == null ? Values.NONE : ip.evalExpr(r.value()));
        }
    }

    /** {@code x += v} on an array changes it in place, as NumPy does (and refuses what NumPy refuses). */
    private static Object inPlace(Evaluator ip, AugAssign a, NdArray target, Object right) {
        try {
            return Arith.inPlace(a.op(), target, ProgramState.arg(right));
        } catch (NumpyException e) {
            throw ip.src().error(a.pos(), e.getMessage());
        }
    }

    static void block(Evaluator ip, List<Stmt> body) {
        for (Stmt s : body) {
            ip.execute(s);
        }
    }

    private static void forLoop(Evaluator ip, For f) {
        Object seq = ip.evalExpr(f.iter());
        Iterator<Object> it = ProgramValues.iterate(seq);
        if (it == null) {
            throw ip.src().error(f.iter().pos(), ProgramValues.notIterable(seq));
        }
        long iteration = 0;
        while (it.hasNext()) {
            Object item = it.next();
            try {
                ip.store(f.target(), item, f.iter());
                block(ip, f.body());
            } catch (JumpSignal j) {
                if (j.isBreak) {
                    return;
                }
            } catch (ScriptException e) {
                throw e.placedIn("in iteration " + iteration + " of the loop at line " + f.pos().line()
                        + ", " + describe(f.target()) + " = " + shortRepr(item));
            }
            iteration++;
        }
        block(ip, f.orElse());
    }

    private static void whileLoop(Evaluator ip, While w) {
        long iteration = 0;
        while (ip.truth(ip.evalExpr(w.test()), w.test().pos())) {
            try {
                block(ip, w.body());
            } catch (JumpSignal j) {
                if (j.isBreak) {
                    return;
                }
            } catch (ScriptException e) {
                throw e.placedIn("in iteration " + iteration + " of the loop at line " + w.pos().line());
            }
            iteration++;
        }
        block(ip, w.orElse());
    }

    private static String describe(Ast.Expr target) {
        if (target instanceof Ast.Name n) {
            return n.name();
        }
        StringBuilder b = new StringBuilder();
        for (Ast.Expr e : ((Ast.Seq) target).items()) {
            b.append(b.length() > 0 ? ", " : "").append(((Ast.Name) e).name());
        }
        return b.toString();
    }

    private static String shortRepr(Object v) {
        String r = ProgramValues.repr(v);
        return r.length() > 40 || r.contains("\n") ? "<" + Values.typeName(v) + ">" : r;
    }

    /** {@code with item as name:}: a session is the default one inside and is closed after. */
    private static void with(Evaluator ip, With w) {
        Object ctx = ip.evalExpr(w.item());
        ProgramState ps = ip.program();
        if (ctx instanceof Sessions.SessionValue s) {
            if (w.name() != null) {
                ip.store(w.name(), s, w.item());
            }
            ps.defaults().push(s);
            try {
                block(ip, w.body());
            } finally {
                ps.defaults().pop();
                Sessions.close(ps, s);
            }
        } else if (ctx instanceof Sessions.NoContext || ctx instanceof Sessions.DefaultSession) {
            if (ctx instanceof Sessions.DefaultSession d) {
                ps.defaults().push(d.session());
            }
            if (w.name() != null) {
                ip.store(w.name(), ctx instanceof Sessions.DefaultSession d ? d.session() : Values.NONE, w.item());
            }
            try {
                block(ip, w.body());
            } finally {
                if (ctx instanceof Sessions.DefaultSession) {
                    ps.defaults().pop();
                }
            }
        } else {
            throw ip.src().error(w.item().pos(), Values.aType(ctx) + " cannot be used in a 'with' statement"
                    + " (only sessions, graphs' as_default() and name scopes can)");
        }
    }
}
