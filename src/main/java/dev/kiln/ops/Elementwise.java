package dev.kiln.ops;

import dev.kiln.ir.Op;

/** An op computed element by element, which can therefore be fused into loops with its neighbours. */
public sealed interface Elementwise extends Op permits UnaryElementwise, BinaryElementwise {
    /** Emits the op's arithmetic, its operands being on the stack (see {@link ScalarEmitter}). */
    void emit(ScalarEmitter e);
}
