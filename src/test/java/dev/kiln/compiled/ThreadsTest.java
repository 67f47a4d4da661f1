package dev.kiln.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Compiler;
import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import dev.kiln.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.kiln.reference.ReferenceCase;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** Sharing rows between threads changes no result, not even a bit. */
class ThreadsTest {
    interface Step {
        float run(float[] x, float[] y);
    }

    /** Four layers of 256 with biases and relu: every product is big enough to be shared. */
    static Graph mlp() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 256));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, 256));
        Node h = x;
        List<Node> vars = new ArrayList<>();
        for (int l = 0; l < 4; l++) {
            Node w = tf.variable("w" + l, tf.randomNormal(Tf.shape(256, 256), 0f, 0.06f, 10L + l));
            Node b = tf.variable("b" + l, tf.zeros(Tf.shape(256)));
            vars.add(w);
            vars.add(b);
            Node z = tf.add(tf.matmul(h, w), b);
            h = l < 3 ? tf.relu(z) : z;
        }
        Node loss = tf.name("loss", tf.reduceMean(tf.square(tf.sub(h, y))));
        List<Node> g = tf.gradients(loss, vars);
        for (int i = 0; i < vars.size(); i++) {
            tf.assign(vars.get(i), tf.sub(vars.get(i), tf.mul(0.05f, g.get(i))));
        }
        return tf.build();
    }

    @Test
    void twoThreadsGiveBitForBitTheResultsOfOne() {
        float[] x = Tensors.gaussian(64 * 256, 1);
        float[] y = Tensors.gaussian(64 * 256, 2);
        Step one = Kiln.compile(mlp(), Step.class, new Options().batch(64).threads(1));
        Step two = Kiln.compile(mlp(), Step.class, new Options().batch(64).threads(2));
        Graph bound = mlp().bind(64);
        Session reference = Kiln.session(bound, List.of("loss"), bound.sideEffects(), Engine.INTERPRETER, 0);
        Map<String, Tensor> feeds = Map.of("x", new Tensor(Shape.of(64, 256), x), "y", new Tensor(Shape.of(64, 256), y));
        for (int t = 0; t < 5; t++) {
            float a = one.run(x, y);
            float b = two.run(x, y);
            float r = reference.run(feeds).get(0).item();
            assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(b), "step " + t + ": " + a + " vs " + b);
            assertEquals(r, a, 1e-4f * Math.max(1f, Math.abs(r)), "step " + t);
        }
        for (String v : Kiln.variables(one).names()) {
            assertArrayEquals(Kiln.variables(one).get(v).data(), Kiln.variables(two).get(v).data(), v);
        }
    }

    @Test
    void theLargeProductsAreShared() {
        Graph bound = mlp().bind(64);
        Program p = new Program(bound, List.of(bound.node("loss")), bound.sideEffects());
        Compiler.Compiled c = Compiler.compile(p, new Options().seed(0).backend("auto").threads(2));
        assertTrue(c.usesPool(), "a class with shared products");
        Compiler.Compiled single = Compiler.compile(p, new Options().seed(0).backend("auto").threads(1));
        assertTrue(!single.usesPool(), "one thread: no pool");
    }

    /** The calls a compiled class's {@code step} makes, in order: {@code owner.name}, owner's last part only. */
    static List<String> stepCalls(Compiler.Compiled c) {
        return calls(c, "step");
    }

    /** The calls method {@code name} of a compiled class makes, in order, as {@link #stepCalls}. */
    static List<String> calls(Compiler.Compiled c, String name) {
        ClassNode cn = new ClassNode();
        new ClassReader(c.bytes()).accept(cn, 0);
        List<String> calls = new ArrayList<>();
        for (MethodNode m : cn.methods) {
            if (m.name.equals(name)) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode call) {
                        calls.add(call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name);
                    }
                }
            }
        }
        return calls;
    }

    static Compiler.Compiled compile(Graph g, int threads) {
        Program p = new Program(g, List.of(g.node("loss")), g.sideEffects());
        return Compiler.compile(p, new Options().seed(0).backend("auto").threads(threads));
    }

    @Test
    void theCanonicalStepUpdatesTheSecondLayerWhileTheWorkersUpdateTheFirst() {
        List<String> calls = stepCalls(compile(ReferenceCase.canonical().bind(64), 2));
        int begin = calls.indexOf("WorkerPool.beginOwned");
        assertTrue(begin >= 0, "no run begun: " + calls);
        assertEquals("WorkerPool.join", calls.get(begin + 2), "one kernel between: " + calls);
        assertTrue(calls.get(begin + 1).contains(".sgd_update"), "the second layer's update in between: " + calls);
        assertEquals(begin + 3, calls.size(), "the update is the step's end: " + calls);
        List<String> waiting = calls(compile(ReferenceCase.canonical().bind(64), 2), "whileWaiting");
        assertEquals(List.of("Arrays.fill"), waiting, "grad_h, taken while waiting for the forward product");

        Step one = Kiln.compile(ReferenceCase.canonical(), Step.class, new Options().batch(64).threads(1));
        Step two = Kiln.compile(ReferenceCase.canonical(), Step.class, new Options().batch(64).threads(2));
        float[] x = Tensors.gaussian(64 * 1000, 3);
        float[] y = Tensors.gaussian(64 * 10, 4);
        for (int t = 0; t < 20; t++) {
            float a = one.run(x, y);
            float b = two.run(x, y);
            assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(b), "step " + t + ": " + a + " vs " + b);
        }
        for (String v : Kiln.variables(one).names()) {
            assertArrayEquals(Kiln.variables(one).get(v).data(), Kiln.variables(two).get(v).data(), v);
        }
    }

    @Test
    void aSharedProductWhoseOutputIsReadNextIsWaitedFor() {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, 256));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(256, 256), 0f, 0.06f, 1L));
        tf.name("loss", tf.reduceSum(tf.square(tf.matmul(x, w))));
        Compiler.Compiled c = compile(tf.build().bind(64), 2);
        assertTrue(c.usesPool(), "a class with a shared product");
        List<String> calls = stepCalls(c);
        assertTrue(calls.stream().noneMatch(n -> n.startsWith("WorkerPool.begin")), "begun, not waited for: " + calls);
    }
}
