package dev.kiln.ops;

import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.Node;
import java.util.List;

/** {@code x + y}, broadcasting. Gradient: {@code dy} to each operand, summed back to its shape. */
public record Add() implements BinaryElementwise {
    @Override
    public String name() {
        return "add";
    }

    @Override
    public float apply(float a, float b) {
        return a + b;
    }

    @Override
    public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
        Ops o = new Ops(b);
        return List.of(o.sumLike(dy, node.input(0)), o.sumLike(dy, node.input(1)));
    }

    @Override
    public void emit(ScalarEmitter e) {
        e.add();
    }

    @Override
    public VectorForm vectorForm() {
        return new VectorForm.Binary("add");
    }
}
