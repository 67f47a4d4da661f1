package dev.kiln.codegen;

import dev.kiln.ops.Add;
import dev.kiln.ops.Compare;
import dev.kiln.ops.Div;
import dev.kiln.ops.Maximum;
import dev.kiln.ops.Minimum;
import dev.kiln.ops.Mul;
import dev.kiln.ops.Neg;
import dev.kiln.ops.Relu;
import dev.kiln.ops.ScalarExpr;
import dev.kiln.ops.Sub;
import java.util.function.IntConsumer;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * A matmul epilogue applied to a whole vector of sums at once, for the epilogues made only of ops whose
 * Vector API form computes exactly what the op's scalar kernel computes (+, -, *, /, negation, max and
 * min with {@code Math.max}/{@code Math.min} semantics, relu, comparisons as 1/0): so the vector backend
 * stays as exact as the scalar one. Epilogues with anything else (exp, tanh, pow, ...) are finished one
 * element at a time by the scalar code.
 */
final class VectorEpilogue {
    private static final Type V = VectorOps.FLOAT_VECTOR;
    private static final Type VECTOR = VectorOps.VECTOR;

    private VectorEpilogue() {}

    /** True when every op of {@code e} has an exact vector form here. */
    static boolean supports(ScalarExpr e) {
        if (!(e instanceof ScalarExpr.Apply ap)) {
            return true;
        }
        boolean known = ap.op() instanceof Add || ap.op() instanceof Sub || ap.op() instanceof Mul
                || ap.op() instanceof Div || ap.op() instanceof Neg || ap.op() instanceof Maximum
                || ap.op() instanceof Minimum || ap.op() instanceof Relu || ap.op() instanceof Compare;
        return known && ap.args().stream().allMatch(VectorEpilogue::supports);
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
        if (ap.op() instanceof Add) {
            binary(g, "add");
        } else if (ap.op() instanceof Sub) {
            binary(g, "sub");
        } else if (ap.op() instanceof Mul) {
            binary(g, "mul");
        } else if (ap.op() instanceof Div) {
            binary(g, "div");
        } else if (ap.op() instanceof Maximum) {
            binary(g, "max");
        } else if (ap.op() instanceof Minimum) {
            binary(g, "min");
        } else if (ap.op() instanceof Neg) {
            g.invokeVirtual(V, new Method("neg", V, new Type[0]));
        } else if (ap.op() instanceof Relu) {
            v.broadcast(() -> g.push(0f));
            binary(g, "max");
        } else {
            compare(g, v, ((Compare) ap.op()).kind());
        }
    }

    private static void binary(GeneratorAdapter g, String name) {
        g.invokeVirtual(V, new Method(name, V, new Type[] {VECTOR}));
    }

    /** {@code a, b -> 1 where (a kind b) else 0}. */
    private static void compare(GeneratorAdapter g, VectorOps v, Compare.Kind kind) {
        String op = switch (kind) {
            case GREATER -> "GT";
            case GREATER_EQUAL -> "GE";
            case LESS -> "LT";
            case LESS_EQUAL -> "LE";
        };
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
