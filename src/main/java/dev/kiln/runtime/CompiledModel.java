package dev.kiln.runtime;

/**
 * What every generated class implements besides the user's interface: one run with the feeds in the
 * plan's order. The runtime reads fetches and variables from the arrays it handed to the constructor.
 * Every run, through this method or the user's, is guarded by {@link #runGuard()}.
 */
public interface CompiledModel extends RunGuard.Owner {
    /** One run. The feeds' lengths must be right; {@code Kiln}'s entry points check them. */
    void execute(float[][] feeds);
}
