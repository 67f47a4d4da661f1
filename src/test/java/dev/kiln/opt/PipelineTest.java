package dev.kiln.opt;

import static dev.kiln.opt.OptTesting.assertCounts;
import static dev.kiln.opt.OptTesting.assertNoneOf;
import static dev.kiln.opt.OptTesting.count;
import static dev.kiln.opt.OptTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final List<String> PASSES = List.of("dce", "expand-composites", "canonicalize", "fold-constants", "fold-transposes",
            "cse", "fold-sgd-updates", "fuse-elementwise", "fold-updates", "fold-product-updates", "fuse-matmul", "dce");

    private static final String GOLDEN = "/opt/two_layer.optimized.ir";

    /** The canonical program bound to 64, fetching the loss and performing both updates. */
    static Program canonicalProgram() {
        return OptTesting.program(dev.kiln.reference.ReferenceCase.canonical(), 64, "loss");
    }

    @Test
    void thePassesAreTheDocumentedOnesInOrder() {
        assertEquals(PASSES, Pipeline.passNames());
    }

    /** The passes numerics checks switch off: each merges ops into one kernel or writes variables early. */
    @Test
    void theFusingPassesSayTheyFuse() {
        assertEquals(List.of("fold-sgd-updates", "fuse-elementwise", "fold-updates", "fold-product-updates", "fuse-matmul"), Pipeline.fusingPasses());
    }

    @Test
    void theCanonicalProgramBecomesTwoUpdateKernelsAndNoFullGradients() {
        Program p = OptTesting.optimize(canonicalProgram());
        String listing = text(p);
        assertCounts(p, "matmul_relu", 1, "sgd_update", 2, "fused_reduce_sum", 1);
        assertNoneOf(p, "maximum", "relu", "pow", "assign", "reduce_sum", "random_normal");
        for (Node n : p.graph().nodes()) {
            boolean weightShaped = n.shape().equals(Shape.of(1000, 100)) || n.shape().equals(Shape.of(100, 10));
            // only the weights themselves and their update kernels: no gradient, product or difference
            assertTrue(!weightShaped || n.op().name().equals("variable") || n.op().name().equals("sgd_update"),
                    () -> "a weight gradient is materialized by " + n + " in\n" + listing);
        }
        assertEquals(1, p.fetches().size());
        assertEquals("fused_reduce_sum", p.fetches().get(0).op().name(), listing);
        assertSame(p.graph().node("loss"), p.fetches().get(0));
        assertEquals(2, p.targets().size());
        for (Node t : p.targets()) {
            assertEquals("sgd_update", t.op().name(), listing);
        }
        List<String> updated = p.targets().stream().map(t -> t.input(0).name()).toList();
        assertEquals(List.of("w1", "w2"), updated);
    }

    @Test
    void theCanonicalProgramMatchesTheGoldenListing() throws IOException {
        String expected;
        try (InputStream in = PipelineTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, "missing test resource " + GOLDEN);
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String actual = text(OptTesting.optimize(canonicalProgram()));
        assertEquals(expected.replace("\r\n", "\n").strip(), actual.strip());
    }

    @Test
    void theResultIsAFixedPointOfEveryPass() {
        Program p = OptTesting.optimize(canonicalProgram());
        for (Pass pass : Pipeline.standard()) {
            assertSame(p, pass.run(p), () -> pass.name() + " changed the optimized program");
        }
    }

    @Test
    void withoutSgdFoldingTheUpdatesAreProductUpdates() {
        Program p = OptTesting.optimize(canonicalProgram(), "fold-sgd-updates");
        assertCounts(p, "sgd_update", 0, "assign", 0, "update", 0, "matmul_update", 2);
    }

    @Test
    void withoutEitherProductFoldingTheUpdatesAreElementwiseOnesAfterTheProducts() {
        Program p = OptTesting.optimize(canonicalProgram(), "fold-sgd-updates", "fold-product-updates");
        assertCounts(p, "sgd_update", 0, "assign", 0, "update", 2, "matmul_update", 0);
    }

    @Test
    void withoutEitherFoldingTheUpdatesStayAssigns() {
        Program p = OptTesting.optimize(canonicalProgram(), "fold-sgd-updates", "fold-updates");
        assertCounts(p, "sgd_update", 0, "assign", 2);
        assertTrue(p.graph().nodes().stream().anyMatch(n -> n.shape().equals(Shape.of(1000, 100))
                && n.op().name().startsWith("matmul")), () -> text(p));
    }

    @Test
    void withoutFusionThereAreNoFusedNodes() {
        Program p = OptTesting.optimize(canonicalProgram(), "fuse-elementwise", "fuse-matmul");
        for (Node n : p.graph().nodes()) {
            assertFalse(n.op().name().startsWith("fused") || n.op().name().startsWith("matmul_"), () -> text(p));
        }
        assertCounts(p, "sgd_update", 2, "relu", 1, "reduce_sum", 1);
    }

    @Test
    void withoutCanonicalizationMaximumStaysAndTheRateIsTheLearningRate() {
        Program p = OptTesting.optimize(canonicalProgram(), "canonicalize");
        assertCounts(p, "sgd_update", 2, "maximum", 1, "relu", 0, "matmul_relu", 0);
        for (Node t : p.targets()) {
            assertTrue(t.op().attributes().endsWith("rate=1.0E-6"), () -> text(p));
        }
    }

    @Test
    void everythingDisabledOnlyVerifies() {
        Program in = canonicalProgram();
        List<String> seen = new ArrayList<>();
        Program out = Pipeline.optimize(in, Set.copyOf(PASSES), (name, q) -> seen.add(name));
        assertSame(in, out);
        assertEquals(List.of("input"), seen);
    }

    @Test
    void anUnknownPassNameIsAnErrorListingThePasses() {
        KilnException e = assertThrows(KilnException.class,
                () -> Pipeline.optimize(canonicalProgram(), Set.of("cse", "fold-everything"), (n, q) -> {}));
        assertTrue(e.getMessage().contains("fold-everything"), e.getMessage());
        assertFalse(e.getMessage().contains("[cse"), e.getMessage());
        for (String pass : PASSES) {
            assertTrue(e.getMessage().contains(pass), () -> "should list " + pass + ": " + e.getMessage());
        }
    }

    @Test
    void theObserverSeesEveryPassInOrder() {
        List<String> seen = new ArrayList<>();
        List<Program> programs = new ArrayList<>();
        Program out = Pipeline.optimize(canonicalProgram(), Set.of(), (name, q) -> {
            seen.add(name);
            programs.add(q);
            Verifier.verify(q, name);
        });
        assertEquals(List.of("input", "dce", "expand-composites", "canonicalize", "fold-constants", "fold-transposes", "cse",
                "fold-sgd-updates", "fuse-elementwise", "fold-updates", "fold-product-updates", "fuse-matmul", "dce-again"), seen);
        assertSame(out, programs.get(programs.size() - 1));
        assertEquals(0, count(programs.get(6), "sgd_update")); // after cse
        assertEquals(2, count(programs.get(7), "sgd_update")); // after fold-sgd-updates
    }

    @Test
    void theObserverSkipsDisabledPasses() {
        List<String> seen = new ArrayList<>();
        Pipeline.optimize(canonicalProgram(), Set.of("cse", "dce"), (name, q) -> seen.add(name));
        assertEquals(List.of("input", "expand-composites", "canonicalize", "fold-constants", "fold-transposes",
                "fold-sgd-updates", "fuse-elementwise", "fold-updates", "fold-product-updates", "fuse-matmul"), seen);
    }
}
