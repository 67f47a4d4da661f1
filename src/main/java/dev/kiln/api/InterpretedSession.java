package dev.kiln.api;

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
        return interpreter.variable(name);
    }

    @Override
    public void setVariable(String name, Tensor value) {
        interpreter.setVariable(name, value);
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> feeds) {
        return interpreter.run(feeds, fetches, targets);
    }
}
