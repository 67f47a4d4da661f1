package dev.kiln.ir;

import java.util.List;

/**
 * What a node computes. An op is an immutable value (usually a record) holding its attributes, so two
 * equal ops applied to the same inputs compute the same value; that is what common-subexpression
 * elimination relies on. Each op lives in one file of {@code dev.kiln.ops} with its shape rule, its
 * gradient, its interpreter kernel and its lowering.
 *
 * <p>Besides its meaning, an op states the facts the later stages act on, so that none of them asks what
 * type of op it has: how its value is held ({@link #storage}), what its value is when it is a
 * compile-time constant ({@link #constantValue}, {@link #uniformValue}), how its kernel uses each input
 * ({@link #inputUse}) and whether it is linear in its first input ({@link #linear}). Its loop
 * nest and its Vector API form, which need the op package's expression trees, are on
 * {@code dev.kiln.ops.KilnOp}, the sealed root every op implements.
 */
public interface Op {
    /** How a node's value is held and when it is computed: what the planner and the interpreter do with it. */
    enum Storage {
        /** Computed by a kernel of its own into an array of its own. */
        KERNEL,
        /** A placeholder: the array the caller feeds. */
        FEED,
        /** A variable: state that lives from one run to the next. */
        STATE,
        /** Known when the graph is compiled ({@link #constantValue}); an array only when a kernel reads one. */
        CONSTANT,
        /** The same elements in the same order as input 0: its array, no kernel. */
        ALIAS,
        /** Input 1's value copied into input 0's variable once everything else has run. */
        ASSIGN,
        /** A kernel writing input 0's variable in place, after every kernel that does not. */
        UPDATE,
        /**
         * An op with a meaning and a gradient of its own, run by the back end as simpler ops: the pass
         * {@code expand-composites} replaces it with them before anything is planned.
         */
        COMPOSITE
    }

    /** The op's stable name in IR listings and messages, e.g. {@code matmul}. */
    String name();

    /** Number of inputs the op takes. */
    int arity();

    /**
     * The shape of the result for these inputs, or a {@link KilnException} whose message says what is
     * wrong (the builder adds the position, the op and the operands).
     */
    Shape shape(List<Node> inputs);

    /**
     * The element type of the result for these inputs, or a {@link KilnException} saying what is wrong (the
     * builder adds the position, the op and the operands). By default, float32 operands give float32
     * ({@link DType#allFloat}).
     */
    default DType dtype(List<Node> inputs) {
        return DType.allFloat(inputs);
    }

    /**
     * How many of the first inputs a run writes: 1 for an assignment or an update (its variable, input 0),
     * more for an update of several variables at once (a variable and its optimizer's slots), 0 otherwise.
     */
    default int writes() {
        return hasSideEffect() ? 1 : 0;
    }

    /** The new values of the {@link #writes} variables among the inputs, from the inputs' values. */
    default List<Tensor> evalWrites(List<Tensor> inputs) {
        return List.of(eval(inputs));
    }

    /** The interpreter kernel: the value of the node for the values of its inputs. */
    Tensor eval(List<Tensor> inputs);

    /**
     * Reverse-mode rule: given {@code dy}, the gradient of the output with respect to {@code node}, build
     * the gradient with respect to each input. One entry per input, {@code null} where no gradient flows
     * to that input. Ops that are not differentiable throw {@link KilnException}.
     */
    List<Node> gradient(GraphBuilder b, Node node, Node dy);

    /** How the value is held; most ops are computed by a kernel. */
    default Storage storage() {
        return Storage.KERNEL;
    }

    /**
     * True for ops that assign their value to the variable that is their first input (assign and the
     * update kernels the optimizer folds it into); their effect matters even when nobody reads the value.
     */
    default boolean hasSideEffect() {
        return storage() == Storage.ASSIGN || storage() == Storage.UPDATE;
    }

    /** True for ops whose value is state or input, not a function of the inputs (placeholder, variable). */
    default boolean isSource() {
        return storage() == Storage.FEED || storage() == Storage.STATE;
    }

    /**
     * The value of a {@link Storage#CONSTANT} op, drawing any random numbers from {@code seed} (both engines
     * draw the same ones); by default, its interpreter kernel without inputs.
     */
    default Tensor constantValue(long seed) {
        return eval(List.of());
    }

    /** The value of every element when the op is a constant whose elements are all that value, else null. */
    default Float uniformValue() {
        return null;
    }

    /** How a kernel uses one of its inputs. */
    enum InputUse {
        /** Reads its elements from its array. */
        ARRAY,
        /** Needs only its shape, known when the class is generated. */
        SHAPE,
        /** Writes its value, a scalar {@link #uniformValue}, into the code. */
        INLINED
    }

    /** How the kernel of {@code node} (of this op) uses input {@code k}; by default it reads its array. */
    default InputUse inputUse(Node node, int k) {
        return InputUse.ARRAY;
    }

    /**
     * True when the op is linear in its first input, the others fixed: {@code f(a·x, ...) = a·f(x, ...)} for
     * a scalar a, so the canonicalizer may move scalar factors out through it.
     */
    default boolean linear() {
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
