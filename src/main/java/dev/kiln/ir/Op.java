package dev.kiln.ir;

import java.util.List;

/**
 * What a node computes. An op is an immutable value (usually a record) holding its attributes, so two
 * equal ops applied to the same inputs compute the same value; that is what common-subexpression
 * elimination relies on. Each op lives in one file of {@code dev.kiln.ops} with its shape rule, its
 * gradient, its interpreter kernel and its lowering.
 */
public interface Op {
    /** The op's stable name in IR listings and messages, e.g. {@code matmul}. */
    String name();

    /** Number of inputs the op takes. */
    int arity();

    /**
     * The shape of the result for these inputs, or a {@link KilnException} whose message says what is
     * wrong (the builder adds the position, the op and the operands).
     */
    Shape shape(List<Node> inputs);

    /** The interpreter kernel: the value of the node for the values of its inputs. */
    Tensor eval(List<Tensor> inputs);

    /**
     * Reverse-mode rule: given {@code dy}, the gradient of the output with respect to {@code node}, build
     * the gradient with respect to each input. One entry per input, {@code null} where no gradient flows
     * to that input. Ops that are not differentiable throw {@link KilnException}.
     */
    List<Node> gradient(GraphBuilder b, Node node, Node dy);

    /**
     * True for ops that assign their value to the variable that is their first input (assign and the
     * update kernels the optimizer folds it into); their effect matters even when nobody reads the value.
     */
    default boolean hasSideEffect() {
        return false;
    }

    /** True for ops whose value is state or input, not a function of the inputs (placeholder, variable). */
    default boolean isSource() {
        return false;
    }

    /** Attributes as text for listings, e.g. {@code transpose_b=true}; empty when none. */
    default String attributes() {
        return "";
    }

    /**
     * The op to use when the graph's unknown dimensions are bound to {@code batch}. Ops whose attributes
     * mention a shape with unknown dimensions (placeholder) return a bound copy; the rest return themselves.
     */
    default Op bind(int batch) {
        return this;
    }
}
