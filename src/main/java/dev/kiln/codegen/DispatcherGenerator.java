package dev.kiln.codegen;

import dev.kiln.runtime.RunGuard;
import dev.kiln.runtime.Specializations;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * Writes the class that binds the {@code None} dimension on first call: it implements the user's
 * method by forwarding to the instance compiled for the batch size the key feed's length implies,
 * asking {@link Specializations} again only when that length changes. No allocation per call. Calls are
 * guarded ({@link RunGuard}): the instances of all batch sizes share their variables.
 */
public final class DispatcherGenerator {
    private DispatcherGenerator() {}

    public static byte[] generate(String internalName, Class<?> iface, java.lang.reflect.Method method, int keyParam) {
        ClassWriter cw = Emitter.classWriter();
        Type self = Type.getObjectType(internalName);
        Type ifaceType = Type.getType(iface);
        Type specs = Type.getType(Specializations.class);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                "java/lang/Object", new String[] {ifaceType.getInternalName(), Type.getInternalName(RunGuard.Owner.class)});
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "specializations", specs.getDescriptor(), null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE, "length", "I", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE, "target", ifaceType.getDescriptor(), null, null).visitEnd();
        GuardCalls.declare(cw, self);

        constructor(cw, self, specs);
        dispatch(cw, self, specs, ifaceType, method, keyParam);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code <init>(Specializations)}: the guard, the specializations, and no batch size yet. */
    private static void constructor(ClassWriter cw, Type self, Type specs) {
        GeneratorAdapter init = new GeneratorAdapter(Opcodes.ACC_PUBLIC,
                new Method("<init>", Type.VOID_TYPE, new Type[] {specs}), null, null, cw);
        init.loadThis();
        init.invokeConstructor(Type.getType(Object.class), new Method("<init>", "()V"));
        GuardCalls.initialize(init, self);
        init.loadThis();
        init.loadArg(0);
        init.putField(self, "specializations", specs);
        init.loadThis();
        init.push(-1);
        init.putField(self, "length", Type.INT_TYPE);
        init.returnValue();
        init.endMethod();
    }

    /**
     * The interface's method: looks the instance up again when the key feed's length changes, then calls
     * it with the same arguments, guarded.
     */
    private static void dispatch(ClassWriter cw, Type self, Type specs, Type ifaceType, java.lang.reflect.Method method,
            int keyParam) {
        Method m = Method.getMethod(method);
        GeneratorAdapter g = new GeneratorAdapter(Opcodes.ACC_PUBLIC, m, null, null, cw);
        GuardCalls.guardedReturn(g, self, Type.getType(method.getReturnType()), () -> { // the fields and the specializations change
            Label ready = g.newLabel();
            Label lookup = g.newLabel();
            g.loadArg(keyParam);
            g.ifNull(lookup);
            g.loadArg(keyParam);
            g.arrayLength();
            g.loadThis();
            g.getField(self, "length", Type.INT_TYPE);
            g.ifICmp(GeneratorAdapter.EQ, ready);
            g.mark(lookup);
            g.loadThis();
            g.loadThis();
            g.getField(self, "specializations", specs);
            g.loadArg(keyParam);
            g.invokeInterface(specs, new Method("forFeed", "([F)Ljava/lang/Object;"));
            g.checkCast(ifaceType);
            g.putField(self, "target", ifaceType);
            g.loadThis();
            g.loadArg(keyParam);
            g.arrayLength();
            g.putField(self, "length", Type.INT_TYPE);
            g.mark(ready);
            g.loadThis();
            g.getField(self, "target", ifaceType);
            g.loadArgs();
            g.invokeInterface(ifaceType, m);
        });
        g.endMethod();
    }
}
