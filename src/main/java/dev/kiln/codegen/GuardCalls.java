package dev.kiln.codegen;

import dev.kiln.runtime.RunGuard;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * Emits what a generated class needs for its {@link RunGuard}: the field, {@code runGuard()}, its
 * initialization, and a method body run between {@code enter()} and {@code exit()}, the exit also when the
 * body throws.
 */
final class GuardCalls {
    static final String FIELD = "guard$"; // '$' never appears in a buffer's name
    private static final Type GUARD = Type.getType(RunGuard.class);

    private GuardCalls() {}

    /** The field and {@code public RunGuard runGuard()}. */
    static void declare(ClassWriter cw, Type owner) {
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, FIELD, GUARD.getDescriptor(), null, null).visitEnd();
        GeneratorAdapter g = new GeneratorAdapter(Opcodes.ACC_PUBLIC, new Method("runGuard", GUARD, new Type[0]), null,
                null, cw);
        load(g, owner);
        g.returnValue();
        g.endMethod();
    }

    /** In the constructor: {@code this.guard$ = RunGuard.forModel()}. */
    static void initialize(GeneratorAdapter g, Type owner) {
        g.loadThis();
        g.invokeStatic(GUARD, new Method("forModel", GUARD, new Type[0]));
        g.putField(owner, FIELD, GUARD);
    }

    /**
     * {@code guard.enter(); try { body } finally { guard.exit(); }} then returns what {@code body} left on
     * the stack: a value of type {@code result}, or nothing when it is void.
     */
    static void guardedReturn(GeneratorAdapter g, Type owner, Type result, Runnable body) {
        call(g, owner, "enter");
        Label start = g.mark();
        body.run();
        int value = result.getSort() == Type.VOID ? -1 : g.newLocal(result);
        if (value >= 0) {
            g.storeLocal(value);
        }
        Label end = g.mark();
        call(g, owner, "exit");
        if (value >= 0) {
            g.loadLocal(value);
        }
        g.returnValue();
        g.catchException(start, end, null); // any throwable: release the guard and rethrow it
        call(g, owner, "exit");
        g.throwException();
    }

    private static void call(GeneratorAdapter g, Type owner, String method) {
        load(g, owner);
        g.invokeVirtual(GUARD, new Method(method, Type.VOID_TYPE, new Type[0]));
    }

    private static void load(GeneratorAdapter g, Type owner) {
        g.loadThis();
        g.getField(owner, FIELD, GUARD);
    }
}
