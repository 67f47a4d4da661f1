package dev.kiln.opt;

import static dev.kiln.opt.Patterns.isScalar;
import static dev.kiln.opt.Patterns.isScaled;
import static dev.kiln.opt.Patterns.scalar;
import static dev.kiln.opt.Patterns.scaleOf;

import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ops.Add;
import dev.kiln.ops.BinaryElementwise;
import dev.kiln.ops.BroadcastLike;
import dev.kiln.ops.Compare;
import dev.kiln.ops.Fill;
import dev.kiln.ops.MatMul;
import dev.kiln.ops.Maximum;
import dev.kiln.ops.Mul;
import dev.kiln.ops.Neg;
import dev.kiln.ops.Ops;
import dev.kiln.ops.Pow;
import dev.kiln.ops.Reduction;
import dev.kiln.ops.Relu;
import dev.kiln.ops.Reshape;
import dev.kiln.ops.ReshapeLike;
import dev.kiln.ops.Square;
import dev.kiln.ops.Sub;
import java.util.List;

/**
 * {@code canonicalize}: puts the graph in the normal form the later passes match. Rules, to a fixed point:
 * <ul>
 *   <li>a uniform constant operand that does not widen a binary op's result becomes a scalar;
 *   <li>{@code maximum(x, 0)} becomes {@code relu(x)}, and the {@code x >= 0} mask its gradient built
 *       becomes {@code relu(x) > 0}, so the pre-activation is not needed by the backward pass (they
 *       differ only where x is exactly 0, where both are valid subgradients);
 *   <li>{@code x ** 2} and {@code square(x)} become {@code x * x}; {@code x ** 1}, {@code x * 1},
 *       {@code x + 0}, {@code x - 0} become x;
 *   <li>negation becomes multiplication by -1, double negation disappears, and subtracting (adding) a
 *       negatively scaled value becomes adding (subtracting) it;
 *   <li>scalar factors are gathered and moved outward, through products, matmuls, reductions,
 *       transposes and the gradient's broadcasts, so {@code lr * (2 * g)} becomes {@code (2 lr) * g};
 *   <li>a broadcast of a constant becomes a constant; reshapes of reshapes become one reshape, and a
 *       reshape to the same shape disappears.
 * </ul>
 * Leaves sources and side effects alone.
 */
public final class Canonicalize implements Pass {
    @Override
    public String name() {
        return "canonicalize";
    }

    @Override
    public Program run(Program p) {
        return Rewriter.rewrite(p, Canonicalize::rule);
    }

    static Node rule(Node n, List<Node> in, Rewriter.Context cx) {
        Ops o = cx.ops();
        Op op = n.op();
        if (op instanceof BinaryElementwise) {
            for (int k = 0; k < 2; k++) {
                Node f = in.get(k);
                if (f.op() instanceof Fill fill && f.shape().rank() > 0 && in.get(1 - k).shape().equals(n.shape())) {
                    Node s = o.scalar(fill.value());
                    return cx.add(op, k == 0 ? s : in.get(0), k == 1 ? s : in.get(1));
                }
            }
        }
        if (op instanceof Maximum) {
            return maximum(n, in, o);
        } else if (op instanceof Pow pow) {
            return pow.exponent() == 2f ? o.mul(in.get(0), in.get(0)) : pow.exponent() == 1f ? in.get(0) : null;
        } else if (op instanceof Square) {
            return o.mul(in.get(0), in.get(0));
        } else if (op instanceof Neg) {
            return neg(in.get(0), o);
        } else if (op instanceof Mul) {
            return mul(n, in.get(0), in.get(1), o);
        } else if (op instanceof Add) {
            return add(n, in.get(0), in.get(1), o);
        } else if (op instanceof Sub) {
            return sub(n, in.get(0), in.get(1), o);
        } else if (op instanceof Compare c) {
            return compare(c, in, cx);
        } else if (op instanceof BroadcastLike bl && in.get(0).op() instanceof Fill f) {
            float v = bl.mean() ? f.value() / Reduction.count(n.shape(), bl.axes()) : f.value();
            return o.fill(v, n.shape());
        } else if (op instanceof ReshapeLike) {
            return o.reshape(in.get(0), n.shape().dims()); // shapes are known once bound
        } else if (op instanceof Reshape) {
            Node x = in.get(0);
            if (x.shape().equals(n.shape())) {
                return x;
            }
            if (x.op() instanceof Reshape) {
                return cx.add(op, x.input(0));
            }
        }
        if (op instanceof MatMul m) {
            if (isScaled(in.get(0))) {
                return o.mul(in.get(0).input(0), o.matmul(in.get(0).input(1), in.get(1), m.transposeA(), m.transposeB()));
            }
            if (isScaled(in.get(1))) {
                return o.mul(in.get(1).input(0), o.matmul(in.get(0), in.get(1).input(1), m.transposeA(), m.transposeB()));
            }
        }
        if (op.linear() && isScaled(in.get(0))) {
            Node[] rest = in.toArray(new Node[0]);
            rest[0] = in.get(0).input(1);
            return o.mul(in.get(0).input(0), cx.add(op, rest));
        }
        return null;
    }

    private static Node maximum(Node n, List<Node> in, Ops o) {
        for (int k = 0; k < 2; k++) {
            Node x = in.get(1 - k);
            if (isScalar(in.get(k), 0f) && x.shape().equals(n.shape())) {
                return o.relu(x);
            }
        }
        return null;
    }

    private static Node neg(Node x, Ops o) {
        if (x.op() instanceof Neg) {
            return x.input(0);
        }
        Float s = scaleOf(x);
        if (s != null) {
            return o.mul(o.scalar(-s), x.input(1));
        }
        return o.mul(o.scalar(-1f), x);
    }

    private static Node mul(Node n, Node a, Node b, Ops o) {
        if (scalar(b) != null && scalar(a) == null) {
            return o.mul(b, a);
        }
        Float s = scalar(a);
        if (s != null) {
            if (s == 1f && b.shape().equals(n.shape())) {
                return b;
            }
            Float inner = scaleOf(b);
            if (inner != null) {
                return o.mul(o.scalar(s * inner), b.input(1));
            }
            return null;
        }
        if (isScaled(a)) {
            return o.mul(a.input(0), o.mul(a.input(1), b));
        }
        if (isScaled(b)) {
            return o.mul(b.input(0), o.mul(a, b.input(1)));
        }
        return null;
    }

    private static Node add(Node n, Node a, Node b, Ops o) {
        if (isScalar(b, 0f) && a.shape().equals(n.shape())) {
            return a;
        }
        if (isScalar(a, 0f) && b.shape().equals(n.shape())) {
            return b;
        }
        Float sb = scaleOf(b);
        if (sb != null && sb < 0) {
            return o.sub(a, sb == -1f ? b.input(1) : o.mul(o.scalar(-sb), b.input(1)));
        }
        Float sa = scaleOf(a);
        if (sa != null && sa < 0) {
            return o.sub(b, sa == -1f ? a.input(1) : o.mul(o.scalar(-sa), a.input(1)));
        }
        return null;
    }

    private static Node sub(Node n, Node a, Node b, Ops o) {
        if (isScalar(b, 0f) && a.shape().equals(n.shape())) {
            return a;
        }
        Float sb = scaleOf(b);
        if (sb != null && sb < 0) {
            return o.add(a, sb == -1f ? b.input(1) : o.mul(o.scalar(-sb), b.input(1)));
        }
        return null;
    }

    private static Node compare(Compare c, List<Node> in, Rewriter.Context cx) {
        // maximum(h, 0)'s mask is h >= 0; maximum(0, h)'s is 0 < h: both become relu(h) > 0
        boolean geZero = c.kind() == Compare.Kind.GREATER_EQUAL && isScalar(in.get(1), 0f);
        boolean zeroLess = c.kind() == Compare.Kind.LESS && isScalar(in.get(0), 0f);
        if (geZero || zeroLess) {
            Node zero = geZero ? in.get(1) : in.get(0);
            Node relu = cx.find(new Relu(), geZero ? in.get(0) : in.get(1));
            if (relu != null) {
                return cx.ops().compare(Compare.Kind.GREATER, relu, zero);
            }
        }
        return null;
    }
}
