package dev.kiln.ops;

/**
 * The stack machine an elementwise op lowers to: each op's {@code emit} finds its operands' values on
 * the stack (as floats, first operand deepest) and leaves its result there. The bytecode backend
 * implements it with JVM instructions; the ops know nothing of ASM.
 */
public interface ScalarEmitter {
    /** Pushes a float constant. */
    void constant(float v);

    /** {@code a b -> a+b}. */
    void add();

    /** {@code a b -> a-b}. */
    void sub();

    /** {@code a b -> a*b}. */
    void mul();

    /** {@code a b -> a/b}. */
    void div();

    /** {@code a -> -a}. */
    void neg();

    /** {@code a -> a a}. */
    void dup();

    /**
     * Calls {@code public static float owner.method(float...)} with {@code arity} float operands. Ops keep
     * such helpers next to their {@code apply}, so the interpreter and the generated code share them.
     */
    void callStatic(Class<?> owner, String method, int arity);
}
