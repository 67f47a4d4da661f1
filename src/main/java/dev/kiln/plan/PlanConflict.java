package dev.kiln.plan;

/**
 * The program's in-place updates cannot be ordered so that each reads only values from before the run
 * (e.g. two folded updates each reading the other's variable). The caller compiles again without
 * folding updates, which is always possible.
 */
public final class PlanConflict extends Exception {
    public PlanConflict(String message) {
        super(message);
    }
}
