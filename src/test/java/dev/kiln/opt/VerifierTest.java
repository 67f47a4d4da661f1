package dev.kiln.opt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.interp.Interpreter;
import dev.kiln.ir.GraphBuilder;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Shape;
import dev.kiln.ir.SourcePos;
import dev.kiln.ir.Tensor;
import dev.kiln.ops.Assign;
import dev.kiln.ops.Fill;
import dev.kiln.ops.Placeholder;
import dev.kiln.ops.ReduceSum;
import dev.kiln.ops.Variable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifierTest {
    /** An op whose shape rule changes after its first use, as a buggy pass could leave a node. */
    private static final class Fickle implements Op {
        private int calls;

        @Override
        public String name() {
            return "fickle";
        }

        @Override
        public int arity() {
            return 1;
        }

        @Override
        public Shape shape(List<Node> inputs) {
            return calls++ == 0 ? inputs.get(0).shape() : Shape.of(7);
        }

        @Override
        public Tensor eval(List<Tensor> inputs) {
            return inputs.get(0);
        }

        @Override
        public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
            return List.of(dy);
        }
    }

    /** A side effect on its first input, whatever that is. */
    private static final class Poke implements Op {
        @Override
        public String name() {
            return "poke";
        }

        @Override
        public int arity() {
            return 1;
        }

        @Override
        public boolean hasSideEffect() {
            return true;
        }

        @Override
        public Shape shape(List<Node> inputs) {
            return inputs.get(0).shape();
        }

        @Override
        public Tensor eval(List<Tensor> inputs) {
            return inputs.get(0);
        }

        @Override
        public List<Node> gradient(GraphBuilder b, Node node, Node dy) {
            return List.of(dy);
        }
    }

    private static Node placeholder(GraphBuilder b, String name, int... dims) {
        Node n = b.add(new Placeholder(Shape.of(dims)), name, SourcePos.UNKNOWN, List.of());
        b.bindName(name, n);
        return n;
    }

    private static Node variable(GraphBuilder b, String name, int... dims) {
        Node n = b.add(new Variable(Shape.of(dims)), name, SourcePos.UNKNOWN, List.of());
        b.bindName(name, n);
        return n;
    }

    @Test
    void acceptsAWellFormedProgram() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node x = placeholder(b, "x", 2, 3);
        Node v = variable(b, "v", 2, 3);
        Node a = b.add(new Assign(), v, x);
        Node s = b.add(new ReduceSum(new int[] {0, 1}, false), x);
        assertDoesNotThrow(() -> Verifier.verify(new Program(b.build(), List.of(s), List.of(a)), "test"));
        assertDoesNotThrow(() -> Verifier.verify(PipelineTest.canonicalProgram(), "test"));
    }

    @Test
    void rejectsANodeWhoseShapeDiffersFromItsShapeRule() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node x = placeholder(b, "x", 2, 3);
        Node f = b.add(new Fickle(), x);
        Program p = new Program(b.build(), List.of(f), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Verifier.verify(p, "my-pass"));
        assertTrue(e.getMessage().contains("after pass 'my-pass'"), e.getMessage());
        assertTrue(e.getMessage().contains("has shape [2,3] but its shape rule says [7]"), e.getMessage());
    }

    @Test
    void rejectsAProgramAssigningAVariableTwice() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node v = variable(b, "v", 2);
        Node a1 = b.add(new Assign(), v, b.add(new Fill(1f, Shape.of(2))));
        Node a2 = b.add(new Assign(), v, b.add(new Fill(2f, Shape.of(2))));
        Program p = new Program(b.build(), List.of(), List.of(a1, a2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Verifier.verify(p, "my-pass"));
        assertTrue(e.getMessage().contains("assigns variable 'v' again"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Pipeline.optimize(p, Set.of(), (n, q) -> {}));
    }

    @Test
    void rejectsASideEffectOnSomethingOtherThanAVariable() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node x = placeholder(b, "x", 2);
        Node poke = b.add(new Poke(), x);
        Program p = new Program(b.build(), List.of(), List.of(poke));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Verifier.verify(p, "my-pass"));
        assertTrue(e.getMessage().contains("which is not a variable"), e.getMessage());
    }

    /**
     * Two assigns to v that one run performs: one a target, the other computed because a fetch reads its
     * value. The interpreter refuses to run it, and the verifier rejects it too.
     */
    @Test
    void rejectsASecondAssignReachedThroughAFetch() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node v = variable(b, "v", 2);
        Node a1 = b.add(new Assign(), v, b.add(new Fill(1f, Shape.of(2))));
        Node a2 = b.add(new Assign(), v, b.add(new Fill(2f, Shape.of(2))));
        Node read = b.add(new ReduceSum(new int[] {0}, false), a2);
        Program p = new Program(b.build(), List.of(read), List.of(a1));
        Interpreter i = new Interpreter(p.graph());
        i.setVariable("v", Tensor.zeros(Shape.of(2)));
        assertThrows(KilnException.class, () -> i.run(Map.of(), p.fetches(), p.targets()));
        assertThrows(IllegalStateException.class, () -> Verifier.verify(p, "my-pass"));
    }

    @Test
    void aDeadSecondAssignIsAllowed() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node v = variable(b, "v", 2);
        Node a1 = b.add(new Assign(), v, b.add(new Fill(1f, Shape.of(2))));
        b.add(new Assign(), v, b.add(new Fill(2f, Shape.of(2))));
        Program p = new Program(b.build(), List.of(), List.of(a1));
        assertDoesNotThrow(() -> Verifier.verify(p, "my-pass"));
        Program optimized = OptTesting.optimize(p);
        OptTesting.assertCounts(optimized, "assign", 1);
    }

    @Test
    void checkAssignmentsReportsASecondAssignReachedThroughAFetchAsTheUsersError() {
        GraphBuilder b = new GraphBuilder("t.kiln");
        Node v = variable(b, "v", 2);
        Node a1 = b.add(new Assign(), v, b.add(new Fill(1f, Shape.of(2))));
        Node a2 = b.add(new Assign(), v, b.add(new Fill(2f, Shape.of(2))));
        Node read = b.add(new ReduceSum(new int[] {0}, false), a2);
        KilnException e = assertThrows(KilnException.class,
                () -> Verifier.checkAssignments(new Program(b.build(), List.of(read), List.of(a1))));
        assertTrue(e.getMessage().contains("'v' is assigned more than once in one run"), e.getMessage());
        assertDoesNotThrow(() -> Verifier.checkAssignments(new Program(b.build(), List.of(), List.of(a1))));
        assertDoesNotThrow(() -> Verifier.checkAssignments(new Program(b.build(), List.of(read), List.of())));
    }
}
