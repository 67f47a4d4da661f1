package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import org.junit.jupiter.api.Test;

/**
 * Compiling 10,000 graphs in one JVM keeps metaspace bounded: every generated class, and its loader,
 * is collected once nothing refers to its instance. The graphs differ from one compile to the next
 * and take each of the three ways a class is loaded: a loader of its own (public interface), a
 * hidden class in the interface's package (package-private interface), and a dispatcher binding the
 * batch size on first call, which compiles one more class.
 *
 * <p>Metaspace and the number of loaded classes are sampled after a full collection at 2,000 and at
 * 10,000 compiles. Each class that stayed would hold about 4.5 KB of metaspace (measured by keeping
 * the instances): the 8,000 compiles between the samples would add some 36 MB and 8,000 classes.
 */
class MetaspaceTest {
    static final int COMPILES = 10_000;
    static final int FIRST_SAMPLE = 2_000;
    /** Growth allowed between the samples: what about 450 classes that stayed would take. */
    static final long MAX_METASPACE_GROWTH = 2L << 20;
    static final int MAX_CLASS_GROWTH = 450;

    /** Loaded through a loader of its own. */
    public interface PublicStep {
        float run(float[] x);
    }

    /** Not public: loaded as a hidden class in this package. */
    interface HiddenStep {
        float run(float[] x);
    }

    /** The i-th graph: the widths, the number of tanh and the constants vary with i. */
    static Graph graph(int i, boolean bound) {
        Tf tf = new Tf();
        int in = 2 + i % 5;
        int out = 1 + i % 4;
        Node x = tf.placeholder("x", Tf.shape(bound ? 3 : Tf.NONE, in));
        Node w = tf.variable("w", tf.randomNormal(Tf.shape(in, out), 0f, 0.5f, (long) i));
        Node h = tf.matmul(x, w);
        for (int k = 0; k < i % 3; k++) {
            h = tf.tanh(h);
        }
        Node loss = tf.name("loss", tf.reduceSum(tf.mul(tf.square(h), 1f + i % 7)));
        tf.assign(w, tf.sub(w, tf.mul(0.01f, tf.gradients(loss, w).get(0))));
        return tf.build();
    }

    /** Compiles graph i and runs it once (which, without a batch size, compiles its class). */
    static float compileAndRun(int i) {
        int in = 2 + i % 5;
        float[] x = new float[3 * in];
        java.util.Arrays.fill(x, 0.5f);
        return switch (i % 3) {
            case 0 -> Kiln.compile(graph(i, true), PublicStep.class, new Options()).run(x);
            case 1 -> Kiln.compile(graph(i, true), HiddenStep.class, new Options()).run(x);
            default -> Kiln.compile(graph(i, false), PublicStep.class, new Options()).run(x);
        };
    }

    @Test
    void tenThousandCompilesKeepMetaspaceBounded() {
        MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Metaspace")).findFirst()
                .orElseThrow(() -> new AssertionError("no Metaspace memory pool"));
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long[] first = null;
        for (int i = 0; i < COMPILES; i++) {
            float loss = compileAndRun(i);
            assertTrue(Float.isFinite(loss), "compile " + i + ": loss " + loss);
            if (i + 1 == FIRST_SAMPLE) {
                first = sample(metaspace, classes);
            }
        }
        long[] last = sample(metaspace, classes);
        long grown = last[0] - first[0];
        long moreClasses = last[1] - first[1];
        String figures = String.format("metaspace %.1f MB at %d compiles, %.1f MB at %d; loaded classes %d, then %d",
                first[0] / 1e6, FIRST_SAMPLE, last[0] / 1e6, COMPILES, first[1], last[1]);
        System.out.println("MetaspaceTest: " + figures);
        assertTrue(grown < MAX_METASPACE_GROWTH, "metaspace grew by " + grown + " bytes: " + figures);
        assertTrue(moreClasses < MAX_CLASS_GROWTH, moreClasses + " more classes loaded: " + figures);
    }

    /** Metaspace used and classes loaded, after collections that unload what can be unloaded. */
    private static long[] sample(MemoryPoolMXBean metaspace, ClassLoadingMXBean classes) {
        for (int i = 0; i < 2; i++) {
            System.gc(); // G1's full collection unloads classes
        }
        return new long[] {metaspace.getUsage().getUsed(), classes.getLoadedClassCount()};
    }

    @Test
    void theThreeWaysOfLoadingAreExercised() {
        assertEquals(-1, graph(2, false).nodes().get(0).shape().dim(0), "unbound: the dispatcher binds it");
        Object hidden = Kiln.compile(graph(1, true), HiddenStep.class, new Options());
        assertTrue(hidden.getClass().isHidden(), hidden.getClass().getName());
        Object own = Kiln.compile(graph(0, true), PublicStep.class, new Options());
        assertTrue(!own.getClass().isHidden() && own.getClass().getClassLoader() != MetaspaceTest.class.getClassLoader(),
                own.getClass() + " in " + own.getClass().getClassLoader());
    }
}
