package dev.kiln.opt;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The standard optimization pipeline: one ordered list of passes, the verifier after each. Any pass can
 * be switched off by name (to bisect a miscompile) and the program observed after each pass (to dump it).
 */
public final class Pipeline {
    /** The passes, in order, each with why it is there. */
    public static List<Pass> standard() {
        return List.of(
                // Keep only what the fetches and targets need: drops initializers and unused gradient branches.
                new EliminateDeadCode(),
                // Softmax and cross-entropy into the ops that compute them (their gradients are already built).
                new ExpandComposites(),
                // Normal forms (relu, x*x, scalars gathered outward) so the patterns below see one shape of each idea.
                new Canonicalize(),
                // Evaluate what depends only on constants, e.g. the gradient seed and lr * 2.
                new FoldConstants(),
                // Transposes of matmul operands become flags: no transposed copies.
                new FoldTransposes(),
                // Merge repeated computations (gradients rebuild the same masks and products).
                new EliminateCommonSubexpressions(),
                // assign(w, w - c * (a @ b)) into one update kernel; before fusion, which would hide the pattern.
                new FoldSgdUpdates(),
                // Elementwise chains and reductions of them into single loops.
                new FuseElementwise(),
                // Assignments of elementwise loops into in-place updates, an optimizer's variable and slots in one pass.
                new FoldUpdates(),
                // An update whose gradient is a product into one kernel stepping each element as it is summed.
                new FoldProductUpdates(),
                // Elementwise consumers of matmuls into the matmul's epilogue (matmul_relu, bias, masks).
                new FuseMatMul(),
                // Whatever the rewrites left unreachable.
                new EliminateDeadCode());
    }

    /** The names of the standard passes that fuse ({@link Pass#fuses}). */
    public static List<String> fusingPasses() {
        return standard().stream().filter(Pass::fuses).map(Pass::name).distinct().toList();
    }

    /** The names of the standard passes, in order. */
    public static List<String> passNames() {
        return standard().stream().map(Pass::name).toList();
    }

    /** Runs the standard pipeline, verifying after each pass. */
    public static Program optimize(Program p, Set<String> disabled, BiConsumer<String, Program> observer) {
        Set<String> unknown = new LinkedHashSet<>(disabled);
        unknown.removeAll(passNames());
        if (!unknown.isEmpty()) {
            throw new KilnException("unknown pass(es) " + unknown + " (passes: " + String.join(", ", passNames()) + ")");
        }
        Verifier.verify(p, "input");
        observer.accept("input", p);
        List<String> seen = new ArrayList<>();
        Program current = p;
        for (Pass pass : standard()) {
            String label = pass.name() + (seen.contains(pass.name()) ? "-again" : "");
            seen.add(pass.name());
            if (disabled.contains(pass.name())) {
                continue;
            }
            current = pass.run(current);
            Verifier.verify(current, label);
            observer.accept(label, current);
        }
        return current;
    }
}
