package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.Compiler;
import dev.kiln.api.Options;
import dev.kiln.compiled.Differential;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.NumericsException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.FusedElementwise;
import dev.kiln.ops.FusedMatMul;
import dev.kiln.ops.FusedReduce;
import dev.kiln.ops.SgdUpdate;
import dev.kiln.opt.Program;
import dev.kiln.plan.Step;
import dev.kiln.runtime.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The checks check-numerics puts in generated classes: none at all when it is off; when on, one after
 * every kernel, naming that kernel's node, and one per source when the run starts, in classes that still
 * verify, stay under the JIT limit and allocate nothing.
 */
class NumericsCallsTest {
    private static final String CHECKS = "dev/kiln/runtime/Checks";

    static Compiler.Compiled compile(Differential.Case c, boolean checkNumerics) {
        return Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()),
                new Options().seed(Differential.SEED).threads(1).checkNumerics(checkNumerics));
    }

    static java.util.stream.Stream<Differential.Case> cases() {
        return GeneratedClassTest.cases();
    }

    /** The calls to {@code Checks.name}, in the order of the class's methods. */
    private static List<MethodInsnNode> checkCalls(ClassNode cn, String name) {
        List<MethodInsnNode> calls = new ArrayList<>();
        for (MethodNode m : cn.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode call && call.owner.equals(CHECKS) && call.name.equals(name)) {
                    calls.add(call);
                }
            }
        }
        return calls;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void offTheClassHoldsNoCheck(Differential.Case c) {
        ClassNode cn = GeneratedClassTest.classNode(GeneratedClassTest.compile(c).bytes()); // without check-numerics
        assertEquals(List.of(), checkCalls(cn, "output"), c.name());
        assertEquals(List.of(), checkCalls(cn, "source"), c.name());
        assertEquals(List.of(), checkCalls(cn, "constant"), c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onEveryKernelIsFollowedByTheCheckOfItsNode(Differential.Case c) {
        Compiler.Compiled compiled = compile(c, true);
        ClassNode cn = GeneratedClassTest.classNode(compiled.bytes());
        Graph optimized = compiled.optimized().graph();
        for (Node n : optimized.nodes()) {
            assertFalse(n.op() instanceof FusedElementwise || n.op() instanceof FusedReduce || n.op() instanceof FusedMatMul
                    || n.op() instanceof SgdUpdate, c.name() + ": no fusion, but " + n);
        }
        List<Step.Kernel> kernels = compiled.plan().steps().stream()
                .filter(s -> s instanceof Step.Kernel).map(s -> (Step.Kernel) s).toList();
        List<MethodInsnNode> outputs = checkCalls(cn, "output");
        assertEquals(kernels.size(), outputs.size(), c.name() + ": one output check per kernel");
        for (int i = 0; i < kernels.size(); i++) {
            // the call before the check is the kernel's (or, for a product summed in pieces of k, its second
            // method's, kernel$sum); the first string constant of the check names its node
            AbstractInsnNode insn = outputs.get(i);
            String description = null;
            while (!(insn instanceof MethodInsnNode call && call.owner.equals(cn.name))) {
                if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String s && s.contains("%")) {
                    description = s;
                }
                insn = insn.getPrevious();
            }
            assertEquals(kernels.get(i).method(), ((MethodInsnNode) insn).name.replace("$sum", ""), c.name() + ": check " + i);
            assertEquals(NumericsException.describe(optimized, kernels.get(i).node()), description, c.name());
        }
        int sources = checkCalls(cn, "source").size() + checkCalls(cn, "constant").size();
        assertEquals(NumericsCalls.sources(compiled.plan()).size(), sources, c.name());
        assertTrue(checkCalls(cn, "source").size() >= 1, c.name() + ": reads a feed or a variable");
        assertEquals("", Listing.verify(compiled.bytes(), getClass().getClassLoader()), c.name());
        GeneratedClassTest.codeLengths(compiled.bytes()).forEach((m, len) ->
                assertTrue(len < GeneratedClassTest.HUGE_METHOD_LIMIT, c.name() + ": " + m + " has " + len + " bytes"));
        GeneratedClassTest.checkReachable(cn, "execute([[F)V");
    }

    /** Enough kernels for several drivers even without checks: with them, every driver stays small. */
    @Test
    void theDriversStaySmallWithTheChecks() {
        Tf tf = new Tf();
        Node acc = tf.placeholder("x", Tf.shape(2, 3));
        Tensor m = new Tensor(Shape.of(3, 3), new float[] {0.5f, 0, 0, 0, 0.5f, 0, 0, 0, 0.5f});
        for (int i = 0; i < Drivers.DRIVER_BYTES / 6; i++) {
            acc = tf.matmul(acc, tf.constant(m));
        }
        tf.name("out", acc);
        Graph g = tf.build();
        Differential.Case c = new Differential.Case("chain", g, List.of("out"), List.of(),
                Map.of("x", new Tensor(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6})));
        Compiler.Compiled compiled = compile(c, true);
        ClassNode cn = GeneratedClassTest.classNode(compiled.bytes());
        long drivers = cn.methods.stream().filter(mn -> mn.name.startsWith("step")).count();
        assertTrue(drivers >= 3, "drivers: " + drivers);
        GeneratedClassTest.codeLengths(compiled.bytes()).forEach((name, len) ->
                assertTrue(len < Drivers.DRIVER_BYTES + 1000, name + ": " + len + " bytes"));
    }
}
