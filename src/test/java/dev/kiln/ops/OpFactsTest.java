package dev.kiln.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiled.Differential;
import dev.kiln.compiled.OpCatalog;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.opt.Pipeline;
import dev.kiln.opt.Program;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every op states the facts the later stages act on, consistently, and is exercised: each concrete op
 * class of this package is a {@link KilnOp}, appears in a graph of the {@link OpCatalog} (as written or
 * after the optimizer, so the compiled-vs-interpreter tests run it), has a row in {@code docs/ops.md},
 * and for each of its nodes there its storage, its kernel and its input uses agree.
 */
class OpFactsTest {
    /** Example nodes of every op class met in the catalog's graphs, before and after optimization. */
    private static final Map<Class<?>, List<Node>> EXAMPLES = new LinkedHashMap<>();

    @BeforeAll
    static void collect() {
        for (Differential.Case c : OpCatalog.all()) {
            Program p = new Program(c.graph(), c.fetchNodes(), c.targets());
            add(p);
            add(Pipeline.optimize(p, Set.of(), (name, after) -> { }));
            add(Pipeline.optimize(p, Set.of("fuse-elementwise", "fuse-matmul"), (name, after) -> { }));
        }
    }

    private static void add(Program p) {
        for (Node n : p.graph().nodes()) {
            List<Node> l = EXAMPLES.computeIfAbsent(n.op().getClass(), k -> new ArrayList<>());
            if (l.size() < 40) {
                l.add(n);
            }
        }
    }

    @Test
    void everyOpClassIsAKilnOpMetInTheCatalogAndDocumented() throws Exception {
        String table = Files.readString(Path.of("docs/ops.md"));
        List<String> problems = new ArrayList<>();
        for (Class<?> c : opClasses()) {
            if (!KilnOp.class.isAssignableFrom(c)) {
                problems.add(c.getSimpleName() + " implements Op but not KilnOp");
            }
            if (!EXAMPLES.containsKey(c)) {
                problems.add(c.getSimpleName() + " is in no graph of OpCatalog (add a case that makes it)");
            }
            if (!table.contains("`" + c.getSimpleName() + "`")) {
                problems.add(c.getSimpleName() + " has no row in docs/ops.md");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void storageKernelAndInputUsesAgree() {
        for (Map.Entry<Class<?>, List<Node>> e : EXAMPLES.entrySet()) {
            for (Node n : e.getValue()) {
                check(n);
            }
        }
    }

    private static void check(Node n) {
        Op op = n.op();
        String where = op.name() + " (" + op.getClass().getSimpleName() + ") at " + n;
        Kernel k = KilnOp.of(op).kernel(n);
        assertNotNull(k, where);
        Op.Storage s = op.storage();
        assertEquals(s == Op.Storage.ASSIGN || s == Op.Storage.UPDATE, op.hasSideEffect(), where);
        assertEquals(s == Op.Storage.FEED || s == Op.Storage.STATE, op.isSource(), where);
        switch (s) {
            case KERNEL -> {
                if (k instanceof Kernel.Product p) {
                    assertTrue(p.finish() != Kernel.Finish.UPDATE, where + ": a product that updates must have UPDATE storage");
                } else {
                    Kernel.Loop loop = assertInstance(Kernel.Loop.class, k, where);
                    assertEquals(loop.argStrides().length, arrays(n), where + ": one argument per input read as an array");
                    assertEquals(n.shape().size(), loop.outSize(), where);
                    for (int[] st : loop.argStrides()) {
                        assertEquals(loop.dims().length, st.length, where);
                    }
                }
            }
            case UPDATE -> {
                if (k instanceof Kernel.Updates u) {
                    assertEquals(n.shape().size(), u.size(), where);
                    assertEquals(op.writes(), u.states(), where + ": one value per variable it writes");
                    assertEquals(n.inputs().size(), u.inputs(), where + ": every input read as an array");
                } else if (assertInstance(Kernel.Product.class, k, where).finish() == Kernel.Finish.UPDATES) {
                    Kernel.Product p = (Kernel.Product) k;
                    Kernel.Updates u = p.updates();
                    assertEquals(n.shape().size(), u.size(), where);
                    assertEquals(op.writes(), u.states(), where + ": one value per variable it writes");
                    assertEquals(n.inputs().size() - 1, u.inputs(), where + ": every input but a and b, and the product");
                    assertEquals(u.inputs() - 1, p.a(), where + ": a and b after the step's operands");
                    assertEquals(p.a() + 1, p.b(), where);
                } else {
                    assertEquals(Kernel.Finish.UPDATE, ((Kernel.Product) k).finish(), where);
                    assertEquals(1, op.writes(), where);
                }
            }
            case CONSTANT -> {
                assertInstance(Kernel.None.class, k, where);
                assertEquals(n.shape(), op.constantValue(7).shape(), where + ": its constant value has its shape");
            }
            default -> assertInstance(Kernel.None.class, k, where);
        }
        if (op.uniformValue() != null) {
            assertEquals(s, Op.Storage.CONSTANT, where + ": a uniform value is a constant's");
        }
        if (op instanceof Elementwise el) {
            assertNotNull(el.vectorForm(), where);
        }
        for (int i = 0; i < n.inputs().size(); i++) {
            if (op.inputUse(n, i) == Op.InputUse.INLINED) {
                assertNotNull(n.input(i).op().uniformValue(), where + ": input " + i + " is inlined but has no uniform value");
            }
        }
    }

    private static int arrays(Node n) {
        int a = 0;
        for (int i = 0; i < n.inputs().size(); i++) {
            a += n.op().inputUse(n, i) == Op.InputUse.ARRAY ? 1 : 0;
        }
        return a;
    }

    private static <T> T assertInstance(Class<T> type, Object o, String where) {
        if (!type.isInstance(o)) {
            fail(where + ": expected a " + type.getSimpleName() + ", got " + o);
        }
        return type.cast(o);
    }

    /** The concrete classes of this package that implement {@link Op}, from the compiled classes' directory. */
    private static Set<Class<?>> opClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(KilnOp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("dev/kiln/ops");
        Set<Class<?>> out = new TreeSet<>(Comparator.comparing(Class::getName));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class")) {
                    continue;
                }
                Class<?> c = Class.forName("dev.kiln.ops." + file.substring(0, file.length() - 6), false,
                        OpFactsTest.class.getClassLoader());
                if (Op.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        assertTrue(out.size() >= 30, "found only " + out + " in " + dir);
        return out;
    }
}
