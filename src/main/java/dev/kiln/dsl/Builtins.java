package dev.kiln.dsl;

import dev.kiln.dsl.Values.PySeq;
import dev.kiln.grad.Gradients;
import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import dev.kiln.ir.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The functions a script can call, with TensorFlow 1's parameter names, and the spellings under which
 * {@code tf} offers them ({@code tf.nn.relu}, {@code tf.math.log}, {@code tf.random.normal}, anything
 * under {@code tf.compat.v1}). Each builds its nodes through {@link Tf}.
 */
final class Builtins {
    private Builtins() {}

    /** A function: its parameters (the first {@code required} must be given) and what it does. */
    record Builtin(String name, List<String> params, int required, Function<Invocation, Object> impl) {}

    private static final Map<String, Builtin> BY_NAME = new LinkedHashMap<>();
    /** Path under {@code tf} (without {@code compat.v1.}) to the function's name. */
    private static final Map<String, String> TF_PATHS = new LinkedHashMap<>();
    static final Set<String> TF_MODULES = Set.of("nn", "math", "random", "linalg", "compat", "train");
    static final Set<String> DTYPES = Set.of("float16", "float32", "float64", "bfloat16", "half", "double",
            "int8", "int16", "int32", "int64", "uint8", "uint16", "bool", "string", "complex64", "complex128");
    private static final Set<String> NO_OPS = Set.of("disable_v2_behavior", "disable_eager_execution");
    private static final List<String> REDUCE = List.of("input_tensor", "axis", "keepdims", "name",
            "reduction_indices", "keep_dims");
    /** The method {@code v.assign(value)}. */
    static final Builtin ASSIGN_METHOD = new Builtin("assign", List.of("value", "use_locking", "name", "read_value"),
            1, in -> in.named(assign(in, in.self, in.selfPos, in.tensor("value"))));

    static {
        sources();
        arithmetic();
        shapesAndState();
        for (TypedBuiltins.Entry e : TypedBuiltins.all()) {
            def(e.builtin(), e.aliases());
        }
        for (TypedBuiltins.Entry e : SessionBuiltins.all()) {
            def(e.builtin(), e.aliases());
        }
        for (String noOp : NO_OPS) {
            def(noOp, 0, List.of(), in -> Values.NONE);
        }
    }

    /** Placeholders, variables and constants. */
    private static void sources() {
        def("placeholder", 1, List.of("dtype", "shape", "name"), in -> {
            if (!in.given("dtype")) {
                throw in.error("dtype", "placeholder needs a dtype (tf.float32)");
            }
            DType dtype = in.anyDtype("dtype", null);
            if (!in.given("shape")) {
                throw in.error("shape", "placeholder needs a shape (an unknown rank is not supported)");
            }
            Shape shape = Shape.of(in.dims("shape", true, false));
            return in.tf.placeholder(in.ip.sourceName(in, "Placeholder"), dtype, shape);
        });
        def("Variable", 1, List.of("initial_value", "trainable", "name", "dtype"), in -> {
            in.dtype("dtype");
            boolean trainable = in.flag("trainable", true);
            if (in.raw("initial_value") == Values.NONE) {
                throw in.error("initial_value", "Variable needs an initial value");
            }
            Node init = in.tensor("initial_value");
            String name = in.ip.sourceName(in, "Variable");
            Node v = in.tf.variable(name, init);
            return trainable ? v : in.tf.train().notTrainable(v);
        });
        def("random_normal", 1, List.of("shape", "mean", "stddev", "dtype", "seed", "name"), in -> {
            Shape shape = in.shape("shape");
            float mean = in.number("mean", 0f);
            float stddev = in.number("stddev", 1f);
            in.dtype("dtype");
            Long seed = seed(in);
            return in.named(in.errorsAt("stddev", () -> in.tf.randomNormal(shape, mean, stddev, seed)));
        }, "random.normal");
        def("random_uniform", 1, List.of("shape", "minval", "maxval", "dtype", "seed", "name"), in -> {
            Shape shape = in.shape("shape");
            float lo = in.number("minval", 0f);
            float hi = in.number("maxval", 1f);
            in.dtype("dtype");
            Long seed = seed(in);
            return in.named(in.errorsAt("maxval", () -> in.tf.random().uniform(shape, lo, hi, seed)));
        }, "random.uniform");
        def("truncated_normal", 1, List.of("shape", "mean", "stddev", "dtype", "seed", "name"), in -> {
            Shape shape = in.shape("shape");
            float mean = in.number("mean", 0f);
            float stddev = in.number("stddev", 1f);
            in.dtype("dtype");
            Long seed = seed(in);
            return in.named(in.errorsAt("stddev", () -> in.tf.random().truncatedNormal(shape, mean, stddev, seed)));
        }, "random.truncated_normal");
        def("zeros", 1, List.of("shape", "dtype", "name"), in -> {
            in.dtype("dtype");
            return in.named(in.tf.zeros(in.shape("shape")));
        });
        def("ones", 1, List.of("shape", "dtype", "name"), in -> {
            in.dtype("dtype");
            return in.named(in.tf.ones(in.shape("shape")));
        });
        def("constant", 1, List.of("value", "dtype", "shape", "name"), Builtins::constant);
    }

    /** Products, elementwise functions and reductions. */
    private static void arithmetic() {
        def("matmul", 2, List.of("a", "b", "transpose_a", "transpose_b", "name"), in -> in.named(in.tf.matmul(
                in.tensor("a"), in.tensor("b"), in.flag("transpose_a", false), in.flag("transpose_b", false))),
                "linalg.matmul");
        binary("add", (tf, xy) -> tf.add(xy[0], xy[1]), "math.add");
        binary("subtract", (tf, xy) -> tf.sub(xy[0], xy[1]), "math.subtract");
        binary("multiply", (tf, xy) -> tf.mul(xy[0], xy[1]), "math.multiply");
        binary("divide", (tf, xy) -> tf.div(xy[0], xy[1]), "math.divide");
        binary("maximum", (tf, xy) -> tf.maximum(xy[0], xy[1]), "math.maximum");
        binary("minimum", (tf, xy) -> tf.minimum(xy[0], xy[1]), "math.minimum");
        for (Tf.Unary u : Tf.UNARY) {
            unary(u.name(), u.param(), u.build(), u.aliases());
        }
        def("pow", 2, List.of("x", "y", "name"), in -> {
            if (in.raw("y") instanceof Node) {
                throw in.error("y", "pow needs a constant exponent");
            }
            float y = in.convert.toFloat(in.raw("y"), in.at("y"), "the exponent");
            return in.named(in.tf.pow(in.tensor("x"), y));
        }, "math.pow");
        def("bias_add", 2, List.of("value", "bias", "data_format", "name"), in -> {
            if (in.given("data_format") && !"NHWC".equals(in.raw("data_format"))) {
                throw in.error("data_format", "bias_add supports only data_format='NHWC' (the bias on the last dimension)");
            }
            return in.named(in.tf.nn().biasAdd(in.tensor("value"), in.tensor("bias")));
        }, "nn.bias_add");
        def("l2_loss", 1, List.of("t", "name"), in -> in.named(in.tf.nn().l2Loss(in.tensor("t"))), "nn.l2_loss");
        def("sigmoid_cross_entropy_with_logits", 0, List.of("_sentinel", "labels", "logits", "name"), in -> {
            Node[] ll = labelsAndLogits(in);
            return in.named(in.errorsAt("labels", () -> in.tf.nn().sigmoidCrossEntropyWithLogits(ll[0], ll[1])));
        }, "nn.sigmoid_cross_entropy_with_logits");
        def("softmax", 1, List.of("logits", "axis", "name"), in -> in.named(in.tf.nn().softmax(lastAxisOnly(in))), "nn.softmax");
        def("log_softmax", 1, List.of("logits", "axis", "name"), in -> in.named(in.tf.nn().logSoftmax(lastAxisOnly(in))),
                "nn.log_softmax");
        def("softmax_cross_entropy_with_logits", 0, List.of("_sentinel", "labels", "logits", "dim", "name"),
                in -> crossEntropy(in, false), "nn.softmax_cross_entropy_with_logits");
        def("softmax_cross_entropy_with_logits_v2", 0, List.of("_sentinel", "labels", "logits", "axis", "name", "dim"),
                in -> crossEntropy(in, true), "nn.softmax_cross_entropy_with_logits_v2");
        def("reduce_sum", 1, REDUCE, in -> reduce(in, Tf::reduceSum), "math.reduce_sum");
        def("reduce_mean", 1, REDUCE, in -> reduce(in, Tf::reduceMean), "math.reduce_mean");
        def("reduce_max", 1, REDUCE, in -> reduce(in, Tf::reduceMax), "math.reduce_max");
    }

    /** Transposes, reshapes, gradients and assignment. */
    private static void shapesAndState() {
        def("transpose", 1, List.of("a", "perm", "name"), in -> {
            Node x = in.tensor("a");
            int[] perm = in.convert.ints(in.raw("perm"), in.at("perm"), "perm");
            return in.named(in.errorsAt("perm", () -> perm == null ? in.tf.transpose(x) : in.tf.transpose(x, perm)));
        }, "linalg.transpose");
        def("reshape", 2, List.of("tensor", "shape", "name"), in -> {
            Node x = in.tensor("tensor");
            int[] shape = in.dims("shape", false, true);
            return in.named(in.errorsAt("shape", () -> in.tf.reshape(x, shape)));
        });
        def("gradients", 2, List.of("ys", "xs", "grad_ys", "name"), Builtins::gradients);
        def(Optimizers.GRADIENT_DESCENT, "train.GradientDescentOptimizer");
        def(Optimizers.MOMENTUM, "train.MomentumOptimizer");
        def(Optimizers.ADAM, "train.AdamOptimizer");
        def(Optimizers.RMS_PROP, "train.RMSPropOptimizer");
        def("assign", 2, List.of("ref", "value", "validate_shape", "use_locking", "name"), in -> {
            Object ref = in.raw("ref");
            if (!(ref instanceof Node r)) {
                throw in.error("ref", "can only assign to a variable, not to " + Values.aType(ref));
            }
            return in.named(assign(in, r, in.at("ref"), in.tensor("value")));
        });
    }

    private static void def(String name, int required, List<String> params, Function<Invocation, Object> impl,
            String... tfAliases) {
        def(new Builtin(name, params, required, impl), tfAliases);
    }

    private static void def(Builtin b, String... tfAliases) {
        BY_NAME.put(b.name(), b);
        TF_PATHS.put(b.name(), b.name());
        for (String alias : tfAliases) {
            TF_PATHS.put(alias, b.name());
        }
    }

    private static void unary(String name, String param, BiFunction<Tf, Node, Node> op, String... aliases) {
        def(name, 1, List.of(param, "name"), in -> in.named(op.apply(in.tf, in.tensor(param))), aliases);
    }

    private static void binary(String name, BiFunction<Tf, Node[], Node> op, String... aliases) {
        def(name, 2, List.of("x", "y", "name"), in -> {
            Node x = in.tensor("x");
            Node y = in.tensor("y");
            return in.named(op.apply(in.tf, new Node[] {x, y}));
        }, aliases);
    }

    /** The function {@code name} as a bare name ({@code matmul}), or null; the no-ops need their {@code tf.}. */
    static Builtin bare(String name) {
        return NO_OPS.contains(name) ? null : BY_NAME.get(name);
    }

    /** The function at {@code path} under {@code tf} ({@code nn.relu}; {@code compat.v1.} already removed), or null. */
    static Builtin tf(String path) {
        String name = TF_PATHS.get(path);
        return name == null ? null : BY_NAME.get(name);
    }

    /** Every path under {@code tf} that names something, for suggestions. */
    static Collection<String> tfPaths() {
        List<String> all = new ArrayList<>(TF_PATHS.keySet());
        all.addAll(DTYPES);
        all.addAll(TF_MODULES);
        return all;
    }

    static Collection<String> bareNames() {
        List<String> all = new ArrayList<>(BY_NAME.keySet());
        all.removeAll(NO_OPS);
        return all;
    }

    /** The candidate closest to {@code word} when it is close enough to be a likely typo, else null. */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = word.length() <= 3 ? 1 : word.length() <= 6 ? 2 : 3;
        return bestDistance <= allowed ? best : null;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 100 || b.length() > 100) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---- the longer implementations

    private static Object constant(Invocation in) {
        in.dtype("dtype");
        Object v = in.raw("value");
        if (!Values.isNumber(v) && !(v instanceof PySeq) && !(v instanceof dev.kiln.numpy.NdArray)) {
            throw in.error("value", "constant needs a number or a nested list of numbers, got " + Values.aType(v));
        }
        Tensor t = in.convert.tensor(v, in.at("value"));
        if (in.given("shape")) {
            Shape shape = in.shape("shape");
            return in.named(in.errorsAt("shape", () -> in.tf.constant(t.data(), shape)));
        }
        return in.named(in.tf.constant(t));
    }

    /** A random op's {@code seed} argument, or null. */
    static Long seed(Invocation in) {
        return in.given("seed") ? (long) in.convert.smallInt(in.raw("seed"), in.at("seed"), "'seed'") : null;
    }

    /** The logits argument of a softmax, whose {@code axis} (if given) must be the last. */
    private static Node lastAxisOnly(Invocation in) {
        Node logits = in.tensor("logits");
        checkLastAxis(in, "axis", logits);
        return logits;
    }

    private static void checkLastAxis(Invocation in, String param, Node logits) {
        if (in.given(param)) {
            int axis = in.convert.smallInt(in.raw(param), in.at(param), "'" + param + "'");
            if (axis != -1 && axis != logits.shape().rank() - 1) {
                throw in.error(param, "only the last axis (-1) is supported, got " + axis);
            }
        }
    }

    /** The labels and logits of a cross-entropy, which TensorFlow takes by keyword only. */
    static Node[] labelsAndLogits(Invocation in) {
        if (in.given("_sentinel")) {
            throw in.error("_sentinel", in.shown + "(): pass labels and logits by keyword: labels=..., logits=...");
        }
        if (!in.given("labels") || !in.given("logits")) {
            throw in.error(in.given("labels") ? "logits" : "labels", in.shown + "() needs labels=... and logits=...");
        }
        return new Node[] {in.tensor("labels"), in.tensor("logits")};
    }

    /** {@code softmax_cross_entropy_with_logits(_v2)}. */
    private static Node crossEntropy(Invocation in, boolean v2) {
        Node[] ll = labelsAndLogits(in);
        Node labels = ll[0];
        Node logits = ll[1];
        checkLastAxis(in, "dim", logits);
        if (v2) {
            checkLastAxis(in, "axis", logits);
        }
        return in.named(in.errorsAt("labels", () -> v2 ? in.tf.nn().softmaxCrossEntropyWithLogits(labels, logits)
                : in.tf.nn().softmaxCrossEntropyWithLogitsV1(labels, logits)));
    }

    /** A reduction's node for x, axes and keepdims. */
    private interface Reducer {
        Node reduce(Tf tf, Node x, int[] axes, boolean keepDims);
    }

    private static Node reduce(Invocation in, Reducer r) {
        Node x = in.tensor("input_tensor");
        if (in.given("axis") && in.given("reduction_indices")) {
            throw in.error("reduction_indices", "give only one of 'axis' and 'reduction_indices'");
        }
        if (in.given("keepdims") && in.given("keep_dims")) {
            throw in.error("keep_dims", "give only one of 'keepdims' and 'keep_dims'");
        }
        String axisParam = in.given("reduction_indices") ? "reduction_indices" : "axis";
        int[] axes = in.convert.ints(in.raw(axisParam), in.at(axisParam), "axis");
        boolean keep = in.flag(in.given("keep_dims") ? "keep_dims" : "keepdims", false);
        return in.named(in.errorsAt(axes == null ? null : axisParam,
                () -> r.reduce(in.tf, x, axes, keep)));
    }

    private static Object gradients(Invocation in) {
        Object ys = in.raw("ys");
        SourcePos ysPos = in.at("ys");
        if (ys instanceof PySeq s && s.items().size() == 1) {
            ysPos = s.at(0, ysPos);
            ys = s.items().get(0);
        }
        if (!(ys instanceof Node y)) {
            throw in.error("ys", "gradients: 'ys' must be a tensor (or a list of one tensor), got " + Values.aType(ys));
        }
        if (in.given("grad_ys")) {
            throw in.error("grad_ys", "gradients: 'grad_ys' is not supported");
        }
        in.nameArg();
        Object xsv = in.raw("xs");
        List<Node> xs = new ArrayList<>();
        List<SourcePos> where = new ArrayList<>();
        if (xsv instanceof PySeq s) {
            for (int i = 0; i < s.items().size(); i++) {
                if (!(s.items().get(i) instanceof Node n)) {
                    throw in.ip.src().error(s.at(i, in.at("xs")), "gradients: 'xs' must be tensors, got "
                            + Values.aType(s.items().get(i)));
                }
                xs.add(n);
                where.add(s.at(i, in.at("xs")));
            }
        } else if (xsv instanceof Node n) {
            xs.add(n);
            where.add(in.at("xs"));
        } else {
            throw in.error("xs", "gradients: 'xs' must be a tensor or a list of tensors, got " + Values.aType(xsv));
        }
        for (int i = 0; i < xs.size(); i++) { // Gradients.of would say the same, at the call rather than the x
            try {
                Gradients.checkDependsOn(in.tf.builder(), y, xs.get(i));
            } catch (KilnException e) {
                throw in.ip.src().error(where.get(i), e.detail(), e);
            }
        }
        List<Node> grads = in.tf.gradients(y, xs);
        return new PySeq(new ArrayList<>(grads), null, true);
    }

    private static Node assign(Invocation in, Node ref, SourcePos refPos, Node value) {
        in.ip.checkVariable(ref, refPos, null);
        return in.tf.assign(ref, value);
    }
}
