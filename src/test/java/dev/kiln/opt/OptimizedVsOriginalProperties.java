package dev.kiln.opt;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The differential check of {@link OptimizedVsOriginalTest} on random small training programs (see
 * {@link RandomPrograms}): elementwise ops, matmuls, reductions, transposes and reshapes over small shapes
 * with 1s that broadcast, a gradient for every variable and an update in one of several forms. The
 * programs are built from lists of instructions, so a failure shrinks to a short program. Seeded, so
 * every run tries the same programs.
 */
class OptimizedVsOriginalProperties {
    @Provide
    Arbitrary<List<RandomPrograms.Leaf>> leaves() {
        Arbitrary<RandomPrograms.Leaf> leaf = Combinators.combine(Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3)).as(RandomPrograms.Leaf::new);
        return leaf.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<RandomPrograms.Instr>> instructions() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 63);
        Arbitrary<RandomPrograms.Instr> instr = Combinators.combine(
                Arbitraries.integers().between(0, RandomPrograms.OPS - 1), small, small, small)
                .as(RandomPrograms.Instr::new);
        return instr.list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 100, seed = "20240611", shrinking = ShrinkingMode.FULL)
    void randomProgramsTrainTheSameOptimized(@ForAll("leaves") List<RandomPrograms.Leaf> leaves,
            @ForAll("instructions") List<RandomPrograms.Instr> instrs,
            @ForAll("small") int fetch, @ForAll("small") int update) {
        Program original = RandomPrograms.build(leaves, instrs, fetch, update);
        try {
            OptimizedVsOriginalTest.assertOptimizationPreservesTraining(original, 17, OptimizedVsOriginalTest.DIVERGED);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e + "\n" + RandomPrograms.describe(leaves, instrs, original), e);
        }
    }

    @Provide
    Arbitrary<Integer> small() {
        return Arbitraries.integers().between(0, 63);
    }
}
