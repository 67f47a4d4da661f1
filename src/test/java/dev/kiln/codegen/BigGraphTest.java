package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Compiler;
import dev.kiln.api.Options;
import dev.kiln.bench.BigGraph;
import dev.kiln.compiled.Differential;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * Big graphs compile into classes the JVM loads and JIT-compiles, and compute what the interpreter
 * computes: a 100-layer MLP training step with layers up to 4,096 wide, and a training graph of more
 * than 10,000 nodes (see {@link BigGraph}).
 */
class BigGraphTest {
    /** The constant pool holds at most 65,535 entries; these graphs must stay far below. */
    static final int CONSTANT_POOL_BUDGET = 65_535 / 4;

    static final int BATCH = 2;

    /** Output width of each of the 100 layers: mostly narrow, with three 4,096 -> 8 -> 4,096 bottlenecks. */
    static int[] widths() {
        int[] cycle = {32, 64, 16, 48};
        int[] w = new int[100];
        for (int l = 0; l < w.length; l++) {
            w[l] = l % 30 == 10 || l % 30 == 12 ? 4096 : l % 30 == 11 ? 8 : cycle[l % cycle.length];
        }
        w[w.length - 1] = 4;
        return w;
    }

    /** matmul + bias + relu per layer (the last linear), mean squared error, gradients, SGD assigns. */
    static Graph mlp(int[] widths, int in, int batch) {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(batch, in));
        Node y = tf.placeholder("y", Tf.shape(batch, widths[widths.length - 1]));
        Node h = x;
        int fanIn = in;
        List<Node> vars = new ArrayList<>();
        for (int l = 0; l < widths.length; l++) {
            float scale = (float) Math.sqrt(2.0 / fanIn); // keeps relu activations of one size through the layers
            Node w = tf.variable("w" + l, tf.randomNormal(Tf.shape(fanIn, widths[l]), 0f, scale, 100L + l));
            Node b = tf.variable("b" + l, tf.constant(new Tensor(Shape.of(widths[l]), filled(widths[l], 0.01f))));
            vars.add(w);
            vars.add(b);
            Node z = tf.add(tf.matmul(h, w), b);
            h = l < widths.length - 1 ? tf.relu(z) : z;
            fanIn = widths[l];
        }
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(h, y))));
        List<Node> grads = tf.gradients(loss, vars);
        for (int i = 0; i < vars.size(); i++) {
            tf.assign(vars.get(i), tf.sub(vars.get(i), tf.mul(1e-3f, grads.get(i))));
        }
        return tf.build();
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static Tensor random(Random r, int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new Tensor(s, d);
    }

    @Test
    void aHundredLayerMlpWithLayers4096WideTrainsAsTheInterpreterDoes() {
        int[] widths = widths();
        assertEquals(6, java.util.Arrays.stream(widths).filter(w -> w == 4096).count());
        Graph g = mlp(widths, 24, BATCH);
        Random r = new Random(9);
        Map<String, Tensor> feeds = Map.of("x", random(r, BATCH, 24), "y", random(r, BATCH, 4));
        Differential.Case c = new Differential.Case("100-layer MLP", g, List.of("loss"), g.sideEffects(), feeds);
        checkClass(c);
        Differential.compare(c, 3, true);
    }

    @Test
    void aGraphOfMoreThanTenThousandNodesTrainsAsTheInterpreterDoes() {
        Graph g = BigGraph.blocks(164);
        assertTrue(g.nodes().size() >= 10_000, g.nodes().size() + " nodes");
        Differential.Case c = new Differential.Case(g.nodes().size() + " nodes", g, List.of("loss"), g.sideEffects(),
                BigGraph.feeds(g));
        checkClass(c);
        Differential.compare(c, 2, true);
    }

    /**
     * 36 layers of 128 at batch 64 with two threads: 107 products big enough to share, more than one
     * {@code runPart} switch holds, and a training step's results bit for bit those of one thread.
     */
    @Test
    void aDeepMlpSharesMoreProductsThanOneSwitchHolds() {
        int[] widths = new int[36];
        java.util.Arrays.fill(widths, 128);
        Graph g = mlp(widths, 128, 64);
        Random r = new Random(11);
        Map<String, Tensor> feeds = Map.of("x", random(r, 64, 128), "y", random(r, 64, 128));
        Differential.Case c = new Differential.Case("36 layers of 128, two threads", g, List.of("loss"), g.sideEffects(), feeds);
        Compiler.Compiled compiled = Compiler.compile(new Program(g, c.fetchNodes(), c.targets()),
                new Options().seed(Differential.SEED).backend("scalar").threads(2));
        ClassNode cn = GeneratedClassTest.classNode(compiled.bytes());
        long shared = cn.methods.stream().filter(m -> m.desc.endsWith("II)V") && (m.access & org.objectweb.asm.Opcodes.ACC_STATIC) != 0).count();
        assertTrue(shared > ParallelCalls.CASES_PER_METHOD, shared + " shared kernels");
        assertTrue(cn.methods.stream().anyMatch(m -> m.name.equals("runPart_1")), "runPart is split");
        assertEquals("", Listing.verify(compiled.bytes(), BigGraphTest.class.getClassLoader()));
        GeneratedClassTest.codeLengths(compiled.bytes()).forEach((m, len) ->
                assertTrue(len < GeneratedClassTest.HUGE_METHOD_LIMIT, m + " has " + len + " bytes"));
        dev.kiln.api.Session one = dev.kiln.api.Kiln.session(g, c.fetches(), c.targets(), dev.kiln.api.Engine.COMPILED,
                new dev.kiln.api.Options().seed(Differential.SEED).backend("scalar").threads(1));
        dev.kiln.api.Session two = dev.kiln.api.Kiln.session(g, c.fetches(), c.targets(), dev.kiln.api.Engine.COMPILED,
                new dev.kiln.api.Options().seed(Differential.SEED).backend("scalar").threads(2));
        // one thread agrees with the interpreter (GeneratedClassTest, CompiledVsInterpreterTest); two with one
        float a = one.run(feeds).get(0).item();
        float b = two.run(feeds).get(0).item();
        assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(b), a + " vs " + b);
        assertTrue(Float.isFinite(a) && a > 0, "loss " + a);
        for (String v : one.variableNames()) {
            assertTrue(java.util.Arrays.equals(one.variable(v).data(), two.variable(v).data()), v);
        }
    }

    /** Compiles {@code c} and checks its class: verifies, every method JIT-compilable, allocation-free runs. */
    static void checkClass(Differential.Case c) {
        Compiler.Compiled compiled = Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()),
                new Options().seed(Differential.SEED));
        byte[] bytes = compiled.bytes();
        assertEquals("", Listing.verify(bytes, BigGraphTest.class.getClassLoader()), c.name());
        GeneratedClassTest.codeLengths(bytes).forEach((m, len) ->
                assertTrue(len < GeneratedClassTest.HUGE_METHOD_LIMIT, c.name() + ": " + m + " has " + len + " bytes"));
        int entries = new ClassReader(bytes).getItemCount();
        assertTrue(entries < CONSTANT_POOL_BUDGET, c.name() + ": " + entries + " constant pool entries");
        ClassNode cn = GeneratedClassTest.classNode(bytes);
        GeneratedClassTest.checkReachable(cn, "execute([[F)V");
        GeneratedClassTest.checkReachable(cn, GeneratedClassTest.method(cn, "run").name + GeneratedClassTest.method(cn, "run").desc);
    }
}
