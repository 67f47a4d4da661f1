package dev.kiln.opt;

/**
 * {@code dce}: removes every node the fetches and targets do not need: variable initializers, and the
 * gradient branches {@code gradients} built that nobody uses (d loss / d x for a placeholder x). Keeps
 * every target, so assignments survive although nobody reads their value.
 */
public final class EliminateDeadCode implements Pass {
    @Override
    public String name() {
        return "dce";
    }

    @Override
    public Program run(Program p) {
        return Rewriter.prune(p);
    }
}
