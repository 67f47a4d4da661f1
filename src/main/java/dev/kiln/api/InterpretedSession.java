package dev.kiln.api;

import dev.kiln.runtime.RunGuard;
import dev.kiln.interp.Interpreter;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.util.List;
import java.util.Map;

/** A {@link Session} run by the reference interpreter. */
final class InterpretedSession implements Session {
    private final Interpreter interpreter;
    private final List<Node> fetches;
    private final List<Node> targets;
    private final RunGuard guard = RunGuard.forSession();

    InterpretedSession(Interpreter interpreter, List<Node> fetches, List<Node> targets) {
        this.interpreter = interpreter;
        this.fetches = fetches;
        this.targets = targets;
    }

    @Override
    public List<String> variableNames() {
        return interpreter.variableNames();
    }

    @Override
    public Tensor variable(String name) {
        guard.checkBetweenRuns("read variable '" + name + "'");
        return interpreter.variable(name);
    }

    @Override
    public void setVariable(String name, Tensor value) {
        guard.checkBetweenRuns("set variable '" + name + "'");
        interpreter.setVariable(name, value);
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> feeds) {
        guard.enter();
        try {
            return interpreter.run(feeds, fetches, targets);
        } finally {
            guard.exit();
        }
    }
}
