package dev.kiln.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.Compiler;
import dev.kiln.api.Options;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.Listing;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import dev.kiln.testing.FiniteDifferences;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Random well-typed training graphs, run by the interpreter and by the compiled class of every backend
 * this JVM offers (scalar always; vector when the JVM has the Vector API): 3 SGD steps must agree (fetched
 * loss and every variable), and every generated class must verify. The graphs' conditioning is unknown,
 * so after each step the compiled session is given the interpreter's variables: every step is checked
 * from the same state and rounding differences (summation order) cannot be amplified into false alarms.
 * A third property checks the gradients of random smooth graphs against central finite differences.
 *
 * <p>A graph is a list of {@link Instr instructions}, each a few small integers that pick an op, its
 * operands among the values built so far, and its attributes; every list builds a valid graph (operands
 * that do not fit are replaced by ones that do), so jqwik shrinks a failure to a short list directly.
 * The loss is a reduce_sum or reduce_mean of the last value (plus a small term for any variable it does
 * not reach), and each of the 1-3 variables gets {@code assign(w, w - lr * grad)}.
 *
 * <p>Tries: {@value #DEFAULT_TRIES} per property by default (seeded, so CI sees the same graphs);
 * {@code -Dkiln.randomGraphs=100000} for a big run and {@code -Dkiln.randomGraphs.seed=N} for other
 * graphs. A failure found that way is kept as a case in {@code RandomGraphRegressionTest}.
 */
class RandomGraphProperties {
    static final int STEPS = 3;
    static final float LR = 0.01f;
    static final int DEFAULT_TRIES = 300;

    /** The shapes variables and feeds are drawn from: scalars, 1s, broadcastable pairs, matmul sizes. */
    static final int[][] SHAPES = {
        {}, {1}, {4}, {3, 4}, {3, 1}, {1, 4}, {4, 3}, {2, 3, 4}, {2, 1, 4}, {3, 17}, {17, 3}, {4, 9}, {9, 4}, {9, 17},
        {1, 1}, {1, 17}, {17, 1},
    };
    static final float[] EXPONENTS = {2f, 3f, 1f, 0f, 0.5f, -1f, 1.5f, -0.5f};
    static final float[] CONSTANTS = {0.5f, 2f, -1f, 1f, 0f, -0.25f};

    /** The ops an instruction may pick. */
    enum Kind {
        ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, NEG, SQUARE, POW, RELU, SIGMOID, TANH, EXP, LOG, MATMUL, REDUCE_SUM,
        REDUCE_MEAN, TRANSPOSE, RESHAPE, SCALAR_OPERAND, MAXIMUM_ZERO, SOFTMAX, SPARSE_XENT, MASK, CAST, DROPOUT;

        /** True for ops whose derivative jumps somewhere (finite differences across a kink disagree). */
        boolean kinked() {
            return this == MAXIMUM || this == MINIMUM || this == RELU || this == MAXIMUM_ZERO || this == SPARSE_XENT
                    || this == MASK || this == CAST;
        }
    }

    /** One step of building a graph; the ints are reduced modulo whatever they choose among. */
    record Instr(int op, int a, int b, int p) {
        @Override
        public String toString() {
            return "new Instr(" + op + ", " + a + ", " + b + ", " + p + ")";
        }
    }

    /** A whole graph: the variables' and feeds' shapes (indices into {@link #SHAPES}), the instructions and the loss. */
    record Spec(List<Integer> variables, List<Integer> feeds, List<Instr> instrs, boolean meanLoss, long seed) {
        /** Java source that rebuilds this spec, for a regression case. */
        @Override
        public String toString() {
            return "new Spec(List.of(" + join(variables) + "), List.of(" + join(feeds) + "), List.of(" + join(instrs)
                    + "), " + meanLoss + ", " + seed + "L)";
        }

        private static String join(List<?> items) {
            return String.join(", ", items.stream().map(String::valueOf).toList());
        }
    }

    /** Sets the number of tries from {@code kiln.randomGraphs} and the seed from {@code kiln.randomGraphs.seed}. */
    static final class TriesFromSystemProperty implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("kiln.randomGraphs", DEFAULT_TRIES));
            String seed = System.getProperty("kiln.randomGraphs.seed");
            if (seed != null && !seed.isBlank()) {
                context.attributes().setSeed(seed.trim());
            }
            return property.execute();
        }
    }

    @Provide
    Arbitrary<Spec> graphs() {
        return graphs(false, false);
    }

    @Provide
    Arbitrary<Spec> graphsWithReshapes() {
        return graphs(true, false);
    }

    @Provide
    Arbitrary<Spec> smoothGraphs() {
        return graphs(true, true);
    }

    static Arbitrary<Spec> graphs(boolean reshapes, boolean smooth) {
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, SHAPES.length - 1);
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 99);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, Kind.values().length - 1)
                .filter(k -> reshapes || Kind.values()[k] != Kind.RESHAPE)
                .filter(k -> !smooth || !Kind.values()[k].kinked());
        Arbitrary<Instr> instr = Combinators.combine(kind, small, small, small).as(Instr::new);
        return Combinators.combine(
                shape.list().ofMinSize(1).ofMaxSize(3),
                shape.list().ofMaxSize(2),
                instr.list().ofMinSize(1).ofMaxSize(10),
                Arbitraries.of(false, true),
                Arbitraries.longs().between(0, 1000)).as(Spec::new);
    }

    @Property(tries = DEFAULT_TRIES, seed = "20250611")
    @AddLifecycleHook(TriesFromSystemProperty.class)
    void compiledAgreesWithInterpreter(@ForAll("graphs") Spec spec) {
        check(spec);
    }

    @Property(tries = DEFAULT_TRIES, seed = "20250612")
    @AddLifecycleHook(TriesFromSystemProperty.class)
    void compiledAgreesWithInterpreterWithReshapes(@ForAll("graphsWithReshapes") Spec spec) {
        check(spec);
    }

    @Property(tries = DEFAULT_TRIES, seed = "20250613")
    @AddLifecycleHook(TriesFromSystemProperty.class)
    void gradientsMatchFiniteDifferences(@ForAll("smoothGraphs") Spec spec) {
        checkGradients(spec);
    }

    /** The backends this JVM can run: scalar, and vector when the Vector API is present. */
    static List<Backend> backends() {
        return Backend.vectorAvailable() ? List.of(Backend.SCALAR, Backend.VECTOR) : List.of(Backend.SCALAR);
    }

    /** Every backend's class verifies and agrees with the interpreter over {@link #STEPS} steps. */
    static void check(Spec spec) {
        Built b = build(spec);
        Differential.Case c = b.c();
        try {
            for (Backend backend : backends()) {
                Compiler.Compiled compiled = Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()),
                        new Options().seed(Differential.SEED).backend(backend.name()).threads(1));
                assertEquals("", Listing.verify(compiled.bytes(), RandomGraphProperties.class.getClassLoader()),
                        backend + ": the generated class does not verify");
                Differential.compare(c, STEPS, true, new Options().backend(backend.name()));
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nthe spec: " + spec + "\nthe graph:\n" + c.graph(), e);
        }
    }

    /**
     * The loss's gradients, as tf.gradients builds them and the interpreter computes them, match central
     * finite differences at the initial point, for every variable. Only smooth ops are drawn (no relu,
     * maximum or minimum, whose kinks make a difference quotient meaningless where it straddles one). The
     * difference step is 1% of each value, or 5% or 0.2% where 1% misses (see
     * {@link FiniteDifferences#alsoSteps}), and the bound allows for 4 ulps of rounding in each float32
     * loss ({@link FiniteDifferences#lossNoise}).
     */
    static void checkGradients(Spec spec) {
        Built b = build(spec);
        try {
            FiniteDifferences fd = FiniteDifferences.of(b.c().graph(), "loss").feeds(b.c().feeds())
                    .relativeEpsilon(1e-2).alsoSteps(5e-2, 2e-3).lossNoise(4).tolerance(2e-2);
            for (int i = 0; i < b.variables().size(); i++) {
                fd.wrt(b.variables().get(i).name(), b.gradients().get(i));
            }
            fd.verify();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nthe spec: " + spec + "\nthe graph:\n" + b.c().graph(), e);
        }
    }

    // ---------------------------------------------------------------- building a graph from a spec

    /** A built graph, its variables and the loss's gradients with respect to them. */
    record Built(Differential.Case c, List<Node> variables, List<Node> gradients) {}

    /** The graph {@code spec} describes, bound and ready to run, with its feeds. */
    static Built build(Spec spec) {
        Builder b = new Builder(spec.seed());
        for (int i = 0; i < spec.variables().size(); i++) {
            Node v = b.tf.variable("w" + i, b.values(SHAPES[spec.variables().get(i)]));
            b.variables.add(v);
            b.pool.add(v);
        }
        for (int i = 0; i < spec.feeds().size(); i++) {
            int[] dims = SHAPES[spec.feeds().get(i)];
            b.feeds.put("x" + i, b.values(dims));
            b.pool.add(b.tf.placeholder("x" + i, Shape.of(dims)));
        }
        Node last = b.pool.get(0);
        for (Instr in : spec.instrs()) {
            last = b.apply(in);
            b.pool.add(last);
        }
        Tf tf = b.tf;
        Node loss = spec.meanLoss() ? tf.reduceMean(last) : tf.reduceSum(last);
        BitSet reached = ancestors(last);
        for (Node v : b.variables) {
            if (!reached.get(v.id())) {
                loss = tf.add(loss, tf.mul(0.01f, tf.reduceMean(v)));
            }
        }
        tf.name("loss", loss);
        List<Node> grads = tf.gradients(loss, b.variables);
        for (int i = 0; i < grads.size(); i++) {
            Node w = b.variables.get(i);
            tf.assign(w, tf.sub(w, tf.mul(LR, grads.get(i))));
        }
        Graph g = tf.build();
        return new Built(new Differential.Case(spec.toString(), g, List.of("loss"), g.sideEffects(), Map.copyOf(b.feeds)),
                List.copyOf(b.variables), grads);
    }

    private static BitSet ancestors(Node n) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(List.of(n));
        while (!stack.isEmpty()) {
            Node m = stack.remove(stack.size() - 1);
            if (!seen.get(m.id())) {
                seen.set(m.id());
                stack.addAll(m.inputs());
            }
        }
        return seen;
    }

    private static final class Builder {
        final Tf tf = new Tf("random.kiln");
        final Random random;
        final List<Node> pool = new ArrayList<>();
        final List<Node> variables = new ArrayList<>();
        final Map<String, Tensor> feeds = new LinkedHashMap<>();

        Builder(long seed) {
            this.random = new Random(seed);
        }

        Tensor values(int... dims) {
            Shape s = Shape.of(dims);
            float[] d = new float[s.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = 2 * random.nextFloat() - 1;
            }
            return new Tensor(s, d);
        }

        Node pick(int i) {
            return pool.get(i % pool.size());
        }

        /** {@code x^2 + 0.5}: a positive value for log, division and fractional powers. */
        Node positive(Node x) {
            return tf.add(tf.square(x), 0.5f);
        }

        Node apply(Instr in) {
            Kind kind = Kind.values()[in.op() % Kind.values().length];
            Node x = pick(in.a());
            return switch (kind) {
                case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> binary(kind, x, operandFor(x, in.b()));
                case NEG -> tf.neg(x);
                case SQUARE -> tf.square(x);
                case POW -> {
                    float e = EXPONENTS[in.p() % EXPONENTS.length];
                    yield tf.pow(e == Math.rint(e) && e >= 0 ? x : positive(x), e);
                }
                case RELU -> tf.relu(x);
                case SIGMOID -> tf.sigmoid(x);
                case TANH -> tf.tanh(x);
                case EXP -> tf.exp(tf.tanh(x)); // bounded: long chains of exp overflow in both engines alike
                case LOG -> tf.log(positive(x));
                case MATMUL -> matmul(in);
                case REDUCE_SUM, REDUCE_MEAN -> reduce(kind == Kind.REDUCE_MEAN, x, in.p());
                case TRANSPOSE -> transpose(x, in.p());
                case RESHAPE -> reshape(x, in.p());
                case SCALAR_OPERAND -> scalarOperand(x, in.b(), in.p());
                case MAXIMUM_ZERO -> in.p() % 2 == 0 ? tf.maximum(x, tf.zeros(Tf.shape(1))) : tf.maximum(tf.constant(0f), x);
                case SOFTMAX -> x.shape().rank() == 0 ? x : in.p() % 2 == 0 ? tf.nn().softmax(x) : tf.nn().logSoftmax(x);
                case SPARSE_XENT -> x.shape().rank() == 0 ? x : tf.nn().sparseSoftmaxCrossEntropyWithLogits(
                        tf.math().argmax(x, -1, in.p() % 2 == 0 ? DType.INT64 : DType.INT32), x);
                case MASK -> tf.mul(x, tf.math().cast(tf.math().greater(x, tf.constant(CONSTANTS[in.p() % CONSTANTS.length])),
                        DType.FLOAT32));
                case CAST -> tf.add(x, tf.math().cast(tf.math().cast(tf.mul(3f, x), in.p() % 2 == 0 ? DType.INT32
                        : DType.INT64), DType.FLOAT32));
                case DROPOUT -> tf.nn().dropout(x, tf.constant(0.5f + 0.1f * (in.p() % 5)), (long) in.b());
            };
        }

        /** The first value from index {@code b} on that broadcasts with x; else the sum of pool[b], a scalar. */
        Node operandFor(Node x, int b) {
            for (int i = 0; i < pool.size(); i++) {
                Node y = pick(b + i);
                if (broadcasts(x.shape(), y.shape())) {
                    return y;
                }
            }
            return tf.reduceSum(pick(b));
        }

        static boolean broadcasts(Shape a, Shape b) {
            for (int i = 1; i <= Math.min(a.rank(), b.rank()); i++) {
                int da = a.dim(a.rank() - i);
                int db = b.dim(b.rank() - i);
                if (da != db && da != 1 && db != 1) {
                    return false;
                }
            }
            return true;
        }

        Node binary(Kind kind, Node x, Node y) {
            return switch (kind) {
                case ADD -> tf.add(x, y);
                case SUB -> x == y ? tf.add(x, y) : tf.sub(x, y); // x - x is exactly 0: a tie for relu's two gradients
                case MUL -> tf.mul(x, y);
                case DIV -> tf.div(x, positive(y));
                case MAXIMUM -> tf.maximum(x, y);
                case MINIMUM -> tf.minimum(x, y);
                default -> throw new IllegalArgumentException(kind.toString());
            };
        }

        Node scalarOperand(Node x, int b, int p) {
            float c = CONSTANTS[p % CONSTANTS.length];
            return switch (b % 5) {
                case 0 -> tf.add(x, c);
                case 1 -> tf.sub(c, x);
                case 2 -> tf.mul(c, x);
                case 3 -> tf.div(x, c == 0f ? 3f : c);
                default -> tf.mul(x, tf.constant(values(x.shape().rank() == 0 ? new int[0] : new int[] {x.shape().dim(x.shape().rank() - 1)})));
            };
        }

        Node matmul(Instr in) {
            Node a = null;
            for (int i = 0; i < pool.size() && a == null; i++) {
                Node n = pick(in.a() + i);
                if (n.shape().rank() == 2) {
                    a = n;
                }
            }
            if (a == null) {
                return tf.tanh(pick(in.a()));
            }
            boolean ta = (in.p() & 1) != 0;
            boolean tb = (in.p() & 2) != 0;
            int k = ta ? a.shape().dim(0) : a.shape().dim(1);
            for (int i = 0; i < pool.size(); i++) {
                Node b = pick(in.b() + i);
                if (b.shape().rank() == 2 && (tb ? b.shape().dim(1) : b.shape().dim(0)) == k) {
                    return tf.matmul(a, b, ta, tb);
                }
            }
            int n = new int[] {1, 3, 17, 5}[(in.p() >> 2) % 4];
            Node b = tf.constant(values(tb ? new int[] {n, k} : new int[] {k, n}));
            return tf.matmul(a, b, ta, tb);
        }

        Node reduce(boolean mean, Node x, int p) {
            int rank = x.shape().rank();
            boolean keep = (p & 1) != 0;
            List<Integer> axes = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                if ((p >> (d + 1) & 1) != 0) {
                    axes.add(d);
                }
            }
            int[] ax = axes.isEmpty() ? null : axes.stream().mapToInt(Integer::intValue).toArray();
            return mean ? tf.reduceMean(x, ax, keep) : tf.reduceSum(x, ax, keep);
        }

        Node transpose(Node x, int p) {
            int rank = x.shape().rank();
            if (rank < 2 || p % 7 == 0) {
                return tf.transpose(x);
            }
            List<Integer> left = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                left.add(d);
            }
            int[] perm = new int[rank];
            int code = p;
            for (int i = 0; i < rank; i++) {
                perm[i] = left.remove(code % left.size());
                code /= rank;
            }
            return tf.transpose(x, perm);
        }

        Node reshape(Node x, int p) {
            int size = x.shape().size();
            List<int[]> targets = new ArrayList<>();
            targets.add(new int[] {-1});
            targets.add(new int[] {1, size});
            targets.add(new int[] {size, -1});
            for (int d = 2; d <= size; d++) {
                if (size % d == 0) {
                    targets.add(new int[] {d, -1});
                    targets.add(new int[] {-1, 1, d});
                }
            }
            if (size == 1) {
                targets.add(new int[0]);
            }
            return tf.reshape(x, targets.get(p % targets.size()));
        }
    }
}
