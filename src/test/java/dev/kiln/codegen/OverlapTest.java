package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.plan.Buffer;
import dev.kiln.plan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the caller does while the other threads work on a shared kernel ({@link Overlap}). */
class OverlapTest {
    private final Map<Step.Kernel, Lowering.Code> codes = new HashMap<>();
    private final List<Buffer> buffers = new ArrayList<>();
    /** A feed and a variable, which every test's kernels read. */
    private final Buffer x = buffer("x", Buffer.Kind.FEED);
    private final Buffer w = buffer("w", Buffer.Kind.VARIABLE);

    private Buffer buffer(String name, Buffer.Kind kind) {
        Buffer b = new Buffer(buffers.size(), name, 64, kind, kind == Buffer.Kind.VARIABLE ? name : null, null);
        buffers.add(b);
        return b;
    }

    private Buffer scratch(String name) {
        return buffer(name, Buffer.Kind.SCRATCH);
    }

    private Step.Kernel kernel(String name, Buffer output, boolean shared, int workspace, Buffer... inputs) {
        Step.Kernel k = new Step.Kernel(null, List.of(inputs), output, name);
        ProductCuts.Range range = shared ? new ProductCuts.Range(64, 8, 0, 0, true) : null;
        codes.put(k, new Lowering.Code(List.of(inputs), g -> { }, workspace, range, null));
        return k;
    }

    private int alongside(List<Step> steps) {
        return Overlap.alongside(steps, 0, codes, false);
    }

    @Test
    void theKernelsAfterASharedOneThatTouchNothingOfItsRunAlongside() {
        Buffer w1 = buffer("w1", Buffer.Kind.VARIABLE);
        Buffer w2 = buffer("w2", Buffer.Kind.VARIABLE);
        Buffer g = scratch("g");
        Buffer h = scratch("h");
        Step.Kernel update1 = kernel("update_w1", w1, true, 0, x, g, w1);
        Step.Kernel update2 = kernel("update_w2", w2, false, 0, h, g, w2); // reads what the shared one reads: fine
        Step.Kernel more = kernel("more", scratch("more"), false, 0, x, h);
        assertEquals(2, alongside(List.of(update1, update2, more)));
        assertEquals(0, Overlap.alongside(List.of(update1, update2), 0, codes, true), "checking numerics: none");
    }

    @Test
    void aKernelReadingTheSharedOnesOutputWaitsForIt() {
        Buffer h = scratch("h");
        Step.Kernel product = kernel("product", h, true, 0, x, w);
        Step.Kernel independent = kernel("independent", scratch("a"), false, 0, x);
        Step.Kernel reader = kernel("reader", scratch("b"), false, 0, h);
        Step.Kernel after = kernel("after", scratch("c"), false, 0, x);
        assertEquals(1, alongside(List.of(product, independent, reader, after)), "not past the reader either");
        assertEquals(0, alongside(List.of(product, reader, independent)));
    }

    @Test
    void aKernelWritingWhatTheSharedOneReadsOrWritesWaitsForIt() {
        Buffer t = scratch("t");
        Buffer h = scratch("h");
        Step.Kernel product = kernel("product", h, true, 0, t, x);
        // a later value given t's buffer, free once the product has read it
        assertEquals(0, alongside(List.of(product, kernel("reuse", t, false, 0, x))));
        assertEquals(0, alongside(List.of(product, kernel("overwrite", h, false, 0, x))));
        Step.Kernel update = kernel("update", w, true, 0, x, t, w);
        assertEquals(0, alongside(List.of(update, kernel("assign", w, false, 0, x))));
    }

    @Test
    void twoKernelsUsingTheWorkspaceNeverOverlap() {
        Step.Kernel product = kernel("product", scratch("h"), true, 1000, x);
        assertEquals(0, alongside(List.of(product, kernel("transposing", scratch("a"), false, 100, x))));
        assertEquals(1, alongside(List.of(product, kernel("plain", scratch("b"), false, 0, x))));
    }

    @Test
    void aCopyOrAnotherSharedKernelEndsTheRun() {
        Step.Kernel product = kernel("product", scratch("h"), true, 0, x);
        Step.Kernel other = kernel("other", scratch("o"), true, 0, x);
        Step.Kernel small = kernel("small", scratch("s"), false, 0, x);
        assertEquals(0, alongside(List.of(product, other, small)));
        Step.Copy copy = new Step.Copy(x, scratch("copy"), null);
        assertEquals(1, alongside(List.of(product, small, copy, kernel("late", scratch("l"), false, 0, x))));
        assertEquals(0, alongside(List.of(small, product)), "a kernel not shared has nothing alongside");
    }

    private List<Buffer> claims(List<Step> steps) {
        return Overlap.claims(steps, 0, codes, false);
    }

    @Test
    void theCallerTakesWhileWaitingWhatItWillWriteForTheNextSharedKernel() {
        Buffer h = scratch("h");
        Buffer y = scratch("y");
        Buffer g = scratch("g");
        Step.Kernel forward = kernel("forward", h, true, 0, x, w);
        Step.Kernel head = kernel("head", y, false, 0, h); // y: read by the caller only
        Step.Kernel grad = kernel("grad", g, false, 0, y, h);
        Step.Kernel update = kernel("update", w, true, 0, x, g, w);
        assertEquals(List.of(g), claims(List.of(forward, head, grad, update)));
        assertEquals(List.of(), claims(List.of(forward, head, grad)), "no shared kernel next: none");
        assertEquals(List.of(), claims(List.of(head, grad, update)), "after a kernel not shared: none");
    }

    @Test
    void nothingIsTakenThatSomethingBeforeItsKernelStillTouches() {
        Buffer h = scratch("h");
        Buffer g = scratch("g");
        Step.Kernel grad = kernel("grad", g, false, 0, h);
        Step.Kernel update = kernel("update", w, true, 0, x, g, w);
        // the shared kernel itself reads g (a buffer reused for another value)
        assertEquals(List.of(), claims(List.of(kernel("forward", h, true, 0, x, g), grad, update)));
        Step.Kernel forward = kernel("forward2", h, true, 0, x, w);
        // a kernel in between reads g's old value
        assertEquals(List.of(), claims(List.of(forward, kernel("reader", scratch("r"), false, 0, g), grad, update)));
        // a copy in between writes it
        assertEquals(List.of(), claims(List.of(forward, new Step.Copy(x, g, null), grad, update)));
        // the kernel reads it: it is not dead before
        assertEquals(List.of(), claims(List.of(forward, kernel("accumulate", g, false, 0, h, g), update)));
        // a variable is never dead
        Buffer v = buffer("v", Buffer.Kind.VARIABLE);
        assertEquals(List.of(), claims(List.of(forward, kernel("assign", v, false, 0, h), kernel("u", w, true, 0, v, w))));
    }

    @Test
    void theOutputOfAKernelRunAlongsideIsNotTaken() {
        Buffer g = scratch("g");
        Step.Kernel forward = kernel("forward", scratch("h"), true, 0, x, w);
        Step.Kernel beside = kernel("beside", g, false, 0, x); // independent of forward: run before the wait
        Step.Kernel update = kernel("update", w, true, 0, x, g, w);
        assertEquals(1, alongside(List.of(forward, beside, update)));
        assertEquals(List.of(), claims(List.of(forward, beside, update)));
    }
}
