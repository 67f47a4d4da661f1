package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Compiler;
import dev.kiln.api.Options;
import dev.kiln.compiled.Examples;
import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.opt.Program;
import dev.kiln.plan.Buffer;
import dev.kiln.plan.Step;
import dev.kiln.runtime.CompiledModel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An exception inside a generated kernel names the model file and the line of the statement that built
 * the kernel's node. The canonical script is compiled as {@code two_layer.kiln}; the class is constructed
 * with arrays made here (as CompiledSession makes them), one of them too short, so the real kernel
 * throws {@link ArrayIndexOutOfBoundsException}.
 */
class StackTraceTest {
    static final String FILE = "two_layer.kiln";
    static final int BATCH = 64;

    static Graph graph() {
        return Script.parse(Examples.text(FILE), FILE).bind(BATCH);
    }

    /** The 1-based line of the script that starts with {@code prefix}. */
    static int lineOf(String prefix) {
        String[] text = Examples.text(FILE).split("\n", -1);
        for (int i = 0; i < text.length; i++) {
            if (text[i].startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }

    static Compiler.Compiled compile(Set<String> disabledPasses) {
        Graph g = graph();
        return Compiler.compile(new Program(g, List.of(g.node("loss")), g.sideEffects()),
                new Options().seed(0).disablePasses(disabledPasses.toArray(new String[0])));
    }

    /** The constructor's arrays, as CompiledSession makes them, with {@code shortened} one element long. */
    static float[][] arrays(Compiler.Compiled c, String shortened) {
        List<Buffer> fields = c.plan().fields();
        float[][] arrays = new float[fields.size()][];
        boolean found = false;
        for (Buffer b : fields) {
            boolean cut = b.name().equals(shortened);
            found |= cut;
            arrays[b.index()] = cut ? new float[1] : b.kind() == Buffer.Kind.CONSTANT ? b.constant().data().clone() : new float[b.size()];
        }
        assertTrue(found || shortened == null, "no buffer named " + shortened + " in " + fields.stream().map(Buffer::name).toList());
        return arrays;
    }

    /** Feeds of the right lengths, in the plan's order; {@code shortFeed} one element long. */
    static float[][] feeds(Compiler.Compiled c, String shortFeed) {
        return c.plan().feeds().stream()
                .map(p -> new float[p.name().equals(shortFeed) ? 1 : p.shape().size()]).toArray(float[][]::new);
    }

    /** Defines the class as an ordinary (not hidden) class in a loader of its own. */
    static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(StackTraceTest.class.getClassLoader());
        }

        CompiledModel instantiate(byte[] bytes, float[][] arrays) throws ReflectiveOperationException {
            Class<?> c = defineClass(null, bytes, 0, bytes.length);
            return (CompiledModel) c.getConstructor(float[][].class).newInstance((Object) arrays);
        }
    }

    static CompiledModel ownLoader(Compiler.Compiled c, float[][] arrays) {
        try {
            return new OwnLoader().instantiate(c.bytes(), arrays);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the model, expecting an index error thrown in {@code kernel}; checks its frame and the driver's. */
    static void throwsAt(Compiler.Compiled c, CompiledModel model, float[][] feeds, String kernel, int line) {
        // an array index, or (vector backend) the Vector API's own index check, from inside the kernel
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> model.execute(feeds));
        String generated = c.className().replace('/', '.');
        StackTraceElement[] all = e.getStackTrace();
        int first = 0;
        while (first < all.length && !all[first].getClassName().startsWith(generated)) {
            first++; // skip the Vector API's frames
        }
        StackTraceElement[] trace = Arrays.copyOfRange(all, Math.min(first, all.length - 1),
                Math.min(all.length, first + 6)); // the frames that matter, for messages
        StackTraceElement top = trace[0];
        assertTrue(top.getClassName().startsWith(generated), "thrown in the generated class: " + Arrays.toString(trace));
        // a product summed in pieces of k writes its result in its second method, kernel$sum
        assertTrue(top.getMethodName().equals(kernel) || top.getMethodName().equals(kernel + "$sum"), Arrays.toString(trace));
        assertEquals(FILE, top.getFileName(), Arrays.toString(trace));
        assertEquals(line, top.getLineNumber(), Arrays.toString(trace));
        // the driver's call of the kernel is at the same line; execute has no line of its own
        StackTraceElement caller = trace[1];
        assertTrue(caller.getMethodName().startsWith("step"), Arrays.toString(trace));
        assertEquals(FILE, caller.getFileName());
        assertEquals(line, caller.getLineNumber());
        assertTrue(Arrays.stream(trace).anyMatch(f -> f.getMethodName().equals("execute") && FILE.equals(f.getFileName())),
                Arrays.toString(trace));
        // the failed run released the instance: a second run fails the same way, not as "already running"
        assertThrows(IndexOutOfBoundsException.class, () -> model.execute(feeds));
    }

    @Test
    void aFusedKernelThrowsAtTheLineOfItsStatement() {
        Compiler.Compiled c = compile(Set.of());
        CompiledModel model = ownLoader(c, arrays(c, "h_relu"));
        throwsAt(c, model, feeds(c, null), "matmul_relu_h_relu", lineOf("h_relu = tf.maximum(h, tf.zeros(1))"));
    }

    @Test
    void theMatmulKernelThrowsAtTheLineOfHEqualsMatmul() {
        Compiler.Compiled c = compile(Set.of("fuse-matmul", "fuse-elementwise"));
        CompiledModel model = ownLoader(c, arrays(c, "h"));
        throwsAt(c, model, feeds(c, null), "matmul_h", lineOf("h = tf.matmul(x, w1)"));
    }

    @Test
    void aShortFeedThrowsInTheFirstKernelReadingIt() {
        Compiler.Compiled c = compile(Set.of());
        CompiledModel model = ownLoader(c, arrays(c, null));
        // y is first read by the kernel computing y - y_pred, fused into the second product, on the loss line
        Step.Kernel first = c.plan().steps().stream().filter(s -> s instanceof Step.Kernel).map(s -> (Step.Kernel) s)
                .filter(k -> k.inputs().stream().anyMatch(b -> b != null && b.kind() == Buffer.Kind.FEED && b.name().equals("y")))
                .findFirst().orElseThrow();
        assertTrue(first.method().startsWith("matmul_epilogue"), first.method());
        assertEquals(lineOf("loss = tf.reduce_sum"), first.node().pos().line());
        throwsAt(c, model, feeds(c, "y"), first.method(), lineOf("loss = tf.reduce_sum"));
    }

    @Test
    void aShortVariableThrowsInTheFirstKernelReadingIt() {
        Compiler.Compiled c = compile(Set.of("fuse-matmul", "fuse-elementwise"));
        // w1 is read first by h = x @ w1
        throwsAt(c, ownLoader(c, arrays(c, "w1")), feeds(c, null), "matmul_h", lineOf("h = tf.matmul(x, w1)"));
    }

    /** The class as Kiln really loads it, through {@link Loader#instantiate}. */
    @Test
    void theLoadedModelsFramesAppearInStackTraces() {
        Compiler.Compiled c = compile(Set.of());
        CompiledModel model = Loader.instantiate(c.lookup(), c.bytes(), arrays(c, "h_relu"), null, null);
        throwsAt(c, model, feeds(c, null), "matmul_relu_h_relu", lineOf("h_relu = tf.maximum(h, tf.zeros(1))"));
    }
}
