package dev.kiln.dsl;

import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import java.util.List;

/**
 * The script functions that make or take integers and booleans: {@code tf.cast}, {@code tf.argmax}, the
 * comparisons ({@code tf.equal}, ...), {@code tf.nn.sparse_softmax_cross_entropy_with_logits}, and
 * {@code tf.nn.dropout}, whose mask is one. The Java twins are on {@link TfMath} and {@link Nn}.
 */
final class TypedBuiltins {
    private TypedBuiltins() {}

    /** A builtin and the extra paths under {@code tf} it is reached by. */
    record Entry(Builtins.Builtin builtin, String... aliases) {}

    static List<Entry> all() {
        return List.of(
                new Entry(new Builtins.Builtin("cast", List.of("x", "dtype", "name"), 2, in -> {
                    Node x = in.tensor("x");
                    DType to = in.anyDtype("dtype", null);
                    return in.named(in.errorsAt("x", () -> in.tf.math().cast(x, to)));
                }), "dtypes.cast"),
                new Entry(new Builtins.Builtin("argmax", List.of("input", "axis", "name", "dimension", "output_type"), 1,
                        TypedBuiltins::argmax), "math.argmax"),
                compare("equal", TfMath::equal),
                compare("not_equal", TfMath::notEqual),
                compare("less", TfMath::less),
                compare("less_equal", TfMath::lessEqual),
                compare("greater", TfMath::greater),
                compare("greater_equal", TfMath::greaterEqual),
                new Entry(new Builtins.Builtin("sparse_softmax_cross_entropy_with_logits",
                        List.of("_sentinel", "labels", "logits", "name"), 0, in -> {
                            Node[] ll = Builtins.labelsAndLogits(in);
                            return in.named(in.errorsAt("labels",
                                    () -> in.tf.nn().sparseSoftmaxCrossEntropyWithLogits(ll[0], ll[1])));
                        }), "nn.sparse_softmax_cross_entropy_with_logits"),
                new Entry(new Builtins.Builtin("dropout", List.of("x", "keep_prob", "noise_shape", "seed", "name", "rate"), 1,
                        TypedBuiltins::dropout), "nn.dropout"));
    }

    /** {@code tf.nn.dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None)}. */
    private static Object dropout(Invocation in) {
        Node x = in.tensor("x");
        if (in.given("noise_shape")) {
            throw in.error("noise_shape", "dropout: 'noise_shape' is not supported");
        }
        if (in.given("keep_prob") == in.given("rate")) {
            throw in.error(in.given("rate") ? "rate" : "keep_prob", "dropout: give exactly one of 'keep_prob' and 'rate'");
        }
        Long seed = Builtins.seed(in);
        String param = in.given("rate") ? "rate" : "keep_prob";
        Object p = in.raw(param);
        if (p instanceof Node keep) {
            Node k = param.equals("rate") ? in.tf.sub(1f, keep) : keep;
            return in.named(in.errorsAt(param, () -> in.tf.nn().dropout(x, k, seed)));
        }
        float v = in.number(param, 0f);
        float keep = param.equals("rate") ? 1f - v : v;
        return in.named(in.errorsAt(param, () -> in.tf.nn().dropout(x, keep, seed)));
    }

    /** {@code tf.argmax(input, axis=None, name=None, dimension=None, output_type=tf.int64)}; no axis means 0, as in TF1. */
    private static Object argmax(Invocation in) {
        Node x = in.tensor("input");
        if (in.given("axis") && in.given("dimension")) {
            throw in.error("dimension", "give only one of 'axis' and 'dimension'");
        }
        String axisParam = in.given("dimension") ? "dimension" : "axis";
        int axis = in.given(axisParam) ? in.convert.smallInt(in.raw(axisParam), in.at(axisParam), "'" + axisParam + "'") : 0;
        DType type = in.anyDtype("output_type", DType.INT64);
        if (!type.isInteger()) {
            throw in.error("output_type", "argmax: output_type must be int32 or int64, got " + type.pythonName());
        }
        return in.named(in.errorsAt(in.given(axisParam) ? axisParam : "input", () -> in.tf.math().argmax(x, axis, type)));
    }

    /** A comparison's function in {@link TfMath}. */
    private interface Comparison {
        Node of(TfMath m, Node x, Node y);
    }

    /** {@code tf.NAME(x, y, name=None)}, also {@code tf.math.NAME}: bool, broadcasting. */
    private static Entry compare(String name, Comparison c) {
        return new Entry(new Builtins.Builtin(name, List.of("x", "y", "name"), 2, in -> {
            Node x = in.tensor("x");
            Node y = in.tensor("y");
            return in.named(in.errorsAt("x", () -> c.of(in.tf.math(), x, y)));
        }), "math." + name);
    }
}
