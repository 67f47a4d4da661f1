package dev.kiln.ops;

import dev.kiln.ir.DType;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * A scalar expression over the elements of a fused node's inputs: what a fused elementwise loop, a
 * reduction's body or a matmul epilogue computes per element. Trees of elementwise ops, so the
 * interpreter evaluates them with each op's {@code apply} and the backend with each op's {@code emit}.
 */
public sealed interface ScalarExpr {
    /** The element of input {@code index} (for a matmul epilogue, input 0 is the product). */
    record Arg(int index) implements ScalarExpr {
        @Override
        public String toString() {
            return "$" + index;
        }
    }

    /** A constant. */
    record Const(float value) implements ScalarExpr {
        @Override
        public String toString() {
            return Float.toString(value);
        }
    }

    /** An elementwise op applied to operand expressions. */
    record Apply(Elementwise op, List<ScalarExpr> args) implements ScalarExpr {
        public Apply {
            args = List.copyOf(args);
        }

        @Override
        public String toString() {
            return shown(i -> "$" + i);
        }
    }

    /** The expression as listings show it, {@code argument} naming each argument ({@code $0}, ...). */
    default String shown(IntFunction<String> argument) {
        if (this instanceof Arg a) {
            return argument.apply(a.index());
        } else if (this instanceof Const c) {
            return c.toString();
        }
        Apply ap = (Apply) this;
        String attrs = ap.op().attributes();
        return ap.op().name() + (attrs.isEmpty() ? "" : "[" + attrs + "]") + "("
                + ap.args().stream().map(x -> x.shown(argument)).collect(Collectors.joining(", ")) + ")";
    }

    /** The value for the given input elements. */
    default float eval(float[] in) {
        if (this instanceof Arg a) {
            return in[a.index()];
        } else if (this instanceof Const c) {
            return c.value();
        }
        Apply ap = (Apply) this;
        if (ap.op() instanceof UnaryElementwise u) {
            return u.apply(ap.args().get(0).eval(in));
        }
        return ((BinaryElementwise) ap.op()).apply(ap.args().get(0).eval(in), ap.args().get(1).eval(in));
    }

    /**
     * The element type of the value: a cast's target at the root, else float32 (arithmetic and comparison
     * masks). So a fused node has the type of the node it replaced, whatever its inputs' types.
     */
    default DType dtype() {
        return this instanceof Apply ap && ap.op() instanceof Cast c ? c.to() : DType.FLOAT32;
    }

    /** Number of op applications in the tree (a shared subtree counts each time it appears). */
    default int size() {
        if (this instanceof Apply ap) {
            int n = 1;
            for (ScalarExpr e : ap.args()) {
                n += e.size();
            }
            return n;
        }
        return 0;
    }

    /** The highest input index used, plus one. */
    default int arity() {
        if (this instanceof Arg a) {
            return a.index() + 1;
        } else if (this instanceof Const) {
            return 0;
        }
        int n = 0;
        for (ScalarExpr e : ((Apply) this).args()) {
            n = Math.max(n, e.arity());
        }
        return n;
    }
}
