package dev.kiln.codegen;

import dev.kiln.ops.Elementwise;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.ops.VectorForm;
import java.util.function.IntConsumer;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * A matmul epilogue applied to a whole vector of sums at once, for the epilogues made only of ops with a
 * {@link VectorForm}, which computes exactly what the op's scalar kernel computes (+, -, *, /, negation,
 * max and min with {@code Math.max}/{@code Math.min} semantics, relu, comparisons as 1/0): so the vector
 * backend stays as exact as the scalar one. Epilogues with anything else (exp, tanh, pow, ...) are
 * finished one element at a time by the scalar code.
 */
final class VectorEpilogue {
    private static final Type V = VectorOps.FLOAT_VECTOR;
    private static final Type VECTOR = VectorOps.VECTOR;

    private VectorEpilogue() {}

    /** True when every op of {@code e} has an exact vector form ({@link Elementwise#vectorForm}). */
    static boolean supports(ScalarExpr e) {
        if (!(e instanceof ScalarExpr.Apply ap)) {
            return true;
        }
        return !(ap.op().vectorForm() instanceof VectorForm.None) && ap.args().stream().allMatch(VectorEpilogue::supports);
    }

    /** Pushes the vector of {@code e}; {@code arg} pushes the vector of argument i. */
    static void emit(GeneratorAdapter g, VectorOps v, ScalarExpr e, IntConsumer arg) {
        if (e instanceof ScalarExpr.Arg a) {
            arg.accept(a.index());
            return;
        }
        if (e instanceof ScalarExpr.Const c) {
            v.broadcast(() -> g.push(c.value()));
            return;
        }
        ScalarExpr.Apply ap = (ScalarExpr.Apply) e;
        for (ScalarExpr x : ap.args()) {
            emit(g, v, x, arg);
        }
        VectorForm form = ap.op().vectorForm();
        if (form instanceof VectorForm.Binary b) {
            binary(g, b.method());
        } else if (form instanceof VectorForm.Unary u) {
            g.invokeVirtual(V, new Method(u.method(), V, new Type[0]));
        } else if (form instanceof VectorForm.MaxWith m) {
            v.broadcast(() -> g.push(m.constant()));
            binary(g, "max");
        } else if (form instanceof VectorForm.Compare c) {
            compare(g, v, c.comparison());
        } else {
            throw new IllegalStateException(ap.op().name() + " has no Vector API form");
        }
    }

    private static void binary(GeneratorAdapter g, String name) {
        g.invokeVirtual(V, new Method(name, V, new Type[] {VECTOR}));
    }

    /** {@code a, b -> 1 where a.compare(op, b) else 0}; {@code op} names a {@code VectorOperators} comparison. */
    private static void compare(GeneratorAdapter g, VectorOps v, String op) {
        Type comparison = Type.getObjectType("jdk/incubator/vector/VectorOperators$Comparison");
        // stack: a, b -> mask = a.compare(op, b)
        int b = g.newLocal(V);
        g.storeLocal(b);
        g.getStatic(Type.getObjectType("jdk/incubator/vector/VectorOperators"), op, comparison);
        g.loadLocal(b);
        g.invokeVirtual(V, new Method("compare", VectorOps.MASK, new Type[] {comparison, VECTOR}));
        int mask = g.newLocal(VectorOps.MASK);
        g.storeLocal(mask);
        v.broadcast(() -> g.push(0f));
        v.broadcast(() -> g.push(1f));
        g.loadLocal(mask);
        g.invokeVirtual(V, new Method("blend", V, new Type[] {VECTOR, VectorOps.MASK}));
    }
}
