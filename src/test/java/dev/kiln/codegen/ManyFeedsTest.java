package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Compiler;
import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.compiled.Differential;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import dev.kiln.runtime.CompiledModel;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Feeds that would not fit as parameters of every driver: too many for a method (see
 * {@link GeneratedClassTest#aKernelReadingManyArraysStillLoads}), or so many drivers that passing every
 * feed to each would make the entry points long. The drivers then take the feed array.
 */
class ManyFeedsTest {
    /**
     * A chain of 1,200 small products, every sixth adding one of 200 feeds: several drivers, and 200
     * feeds passed to each would cost more than a driver's budget.
     */
    static Differential.Case chain() {
        Tf tf = new Tf();
        Random r = new Random(3);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        Node acc = tf.placeholder("x", Tf.shape(2, 3));
        feeds.put("x", BigGraphTest.random(r, 2, 3));
        float[] rotate = {0, 0.95f, 0, 0, 0, 0.95f, 0.95f, 0, 0}; // a cyclic permutation, shrinking a little
        for (int i = 0; i < 1200; i++) {
            acc = tf.matmul(acc, tf.constant(new Tensor(Shape.of(3, 3), rotate.clone())));
            if (i % 6 == 5) {
                String name = "f" + i / 6;
                acc = tf.add(acc, tf.placeholder(name, Tf.shape(2, 3)));
                feeds.put(name, BigGraphTest.random(r, 2, 3));
            }
        }
        tf.name("out", acc);
        return new Differential.Case("1,200 products, 201 feeds", tf.build(), List.of("out"), List.of(), feeds);
    }

    @Test
    void manyDriversTakeTheFeedArrayAndRunPassesItThroughExecute() throws Exception {
        Differential.Case c = chain();
        Compiler.Compiled compiled = Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()),
                new Options().seed(Differential.SEED));
        ClassNode cn = GeneratedClassTest.classNode(compiled.bytes());
        List<MethodNode> drivers = cn.methods.stream().filter(m -> m.name.startsWith("step_")).toList();
        assertTrue(drivers.size() >= 5, "drivers: " + drivers.size());
        assertTrue(drivers.stream().allMatch(m -> m.desc.equals("([[F)V")), "drivers take the feed array");
        assertEquals("(" + "[F".repeat(201) + ")[F", GeneratedClassTest.method(cn, "run").desc);
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()));
        GeneratedClassTest.codeLengths(compiled.bytes()).forEach((m, len) ->
                assertTrue(len < GeneratedClassTest.HUGE_METHOD_LIMIT, m + ": " + len + " bytes"));
        GeneratedClassTest.checkReachable(cn, "execute([[F)V");
        GeneratedClassTest.checkReachable(cn, GeneratedClassTest.method(cn, "run").name + GeneratedClassTest.method(cn, "run").desc);

        // run(201 arrays) agrees with the interpreter and does not keep the caller's arrays
        float[][] arrays = new float[compiled.plan().fields().size()][];
        compiled.plan().fields().forEach(b -> arrays[b.index()] = b.constant() != null ? b.constant().data().clone()
                : new float[b.size()]);
        CompiledModel model = Loader.instantiate(compiled.lookup(), compiled.bytes(), arrays, null, null);
        Object[] args = compiled.plan().feeds().stream().map(f -> c.feeds().get(f.name()).data()).toArray();
        Class<?>[] types = new Class<?>[args.length];
        Arrays.fill(types, float[].class);
        float[] out = ((float[]) model.getClass().getMethod("run", types).invoke(model, args)).clone();
        Tensor expected = Differential.compare(c, 1).get(0);
        Differential.assertClose("run(...)", expected, new Tensor(expected.shape(), out));
        Field held = model.getClass().getDeclaredField("entryFeeds$");
        held.setAccessible(true);
        for (float[] a : (float[][]) held.get(model)) {
            assertNull(a, "the instance keeps no feed after run returns");
        }
    }

    /** With more feeds than parameter slots and a product shared between two threads. */
    @Test
    void threadsFindTheFeedsInTheSavedFeedArray() {
        Tf tf = new Tf();
        Random r = new Random(4);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        Node a = tf.placeholder("a", Tf.shape(128, 128));
        feeds.put("a", BigGraphTest.random(r, 128, 128));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(128, 128), 0f, 0.1f, 5L));
        Node acc = tf.reduceSum(tf.matmul(a, w), new int[] {0}, false); // 2^21 multiply-adds: shared
        for (int i = 0; i < 300; i++) {
            String name = "f" + i;
            acc = tf.add(acc, tf.mul(0.01f, tf.placeholder(name, Tf.shape(128))));
            feeds.put(name, BigGraphTest.random(r, 128));
        }
        tf.name("out", acc);
        Differential.Case c = new Differential.Case("shared product, 301 feeds", tf.build(), List.of("out"), List.of(), feeds);
        Session ref = Kiln.session(c.graph(), c.fetches(), c.targets(), Engine.INTERPRETER, Differential.SEED);
        Session two = Kiln.session(c.graph(), c.fetches(), c.targets(), Engine.COMPILED,
                new Options().seed(Differential.SEED).threads(2));
        for (int step = 0; step < 2; step++) {
            Differential.assertClose("step " + step, ref.run(feeds).get(0), two.run(feeds).get(0));
        }
        Compiler.Compiled compiled = Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()),
                new Options().seed(Differential.SEED).backend("scalar").threads(2));
        assertTrue(compiled.usesPool(), "the product is shared");
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()));
    }
}
