package dev.kiln.codegen;

import dev.kiln.ops.ScalarEmitter;
import dev.kiln.ops.ScalarExpr;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * Emits a {@link ScalarExpr}: each op lowers itself through {@link ScalarEmitter}; a subexpression that
 * occurs more than once is computed once into a local.
 */
final class ScalarCodegen implements ScalarEmitter {
    private final GeneratorAdapter g;
    private final ScalarExpr expr;
    private final Map<ScalarExpr, Integer> shared = new LinkedHashMap<>();

    /** Prepares to emit {@code expr} (possibly many times, e.g. once per unrolled lane). */
    ScalarCodegen(GeneratorAdapter g, ScalarExpr expr) {
        this.g = g;
        this.expr = expr;
        Map<ScalarExpr, Integer> counts = new HashMap<>();
        count(expr, counts);
        for (Map.Entry<ScalarExpr, Integer> e : counts.entrySet()) {
            if (e.getValue() > 1) {
                shared.put(e.getKey(), -1);
            }
        }
    }

    private static void count(ScalarExpr e, Map<ScalarExpr, Integer> counts) {
        if (e instanceof ScalarExpr.Apply ap) {
            if (counts.merge(e, 1, Integer::sum) == 1) {
                for (ScalarExpr a : ap.args()) {
                    count(a, counts);
                }
            }
        }
    }

    /** Pushes the expression's value; {@code loadArg} pushes the value of argument i. */
    void emit(IntConsumer loadArg) {
        Map<ScalarExpr, Integer> locals = new HashMap<>();
        emitShared(expr, loadArg, locals);
        emitTree(expr, loadArg, locals);
    }

    private void emitShared(ScalarExpr e, IntConsumer loadArg, Map<ScalarExpr, Integer> locals) {
        if (!(e instanceof ScalarExpr.Apply ap) || locals.containsKey(e)) {
            return;
        }
        for (ScalarExpr a : ap.args()) {
            emitShared(a, loadArg, locals);
        }
        if (shared.containsKey(e)) {
            emitTree(e, loadArg, locals);
            int local = shared.get(e) >= 0 ? shared.get(e) : g.newLocal(Type.FLOAT_TYPE);
            shared.put(e, local);
            g.storeLocal(local);
            locals.put(e, local);
        }
    }

    private void emitTree(ScalarExpr e, IntConsumer loadArg, Map<ScalarExpr, Integer> locals) {
        Integer local = locals.get(e);
        if (local != null) {
            g.loadLocal(local);
        } else if (e instanceof ScalarExpr.Arg a) {
            loadArg.accept(a.index());
        } else if (e instanceof ScalarExpr.Const c) {
            g.push(c.value());
        } else {
            ScalarExpr.Apply ap = (ScalarExpr.Apply) e;
            for (ScalarExpr a : ap.args()) {
                emitTree(a, loadArg, locals);
            }
            ap.op().emit(this);
        }
    }

    @Override
    public void constant(float v) {
        g.push(v);
    }

    @Override
    public void add() {
        g.visitInsn(Opcodes.FADD);
    }

    @Override
    public void sub() {
        g.visitInsn(Opcodes.FSUB);
    }

    @Override
    public void mul() {
        g.visitInsn(Opcodes.FMUL);
    }

    @Override
    public void div() {
        g.visitInsn(Opcodes.FDIV);
    }

    @Override
    public void neg() {
        g.visitInsn(Opcodes.FNEG);
    }

    @Override
    public void dup() {
        g.visitInsn(Opcodes.DUP);
    }

    @Override
    public void callStatic(Class<?> owner, String method, int arity) {
        g.invokeStatic(Type.getType(owner), new Method(method, "(" + "F".repeat(arity) + ")F"));
    }
}
