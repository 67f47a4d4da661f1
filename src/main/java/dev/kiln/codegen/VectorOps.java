package dev.kiln.codegen;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * The few Vector API calls the vector backend emits, by name: the generated class refers to
 * {@code jdk.incubator.vector} while Kiln itself compiles and runs without it. The species is a static
 * final field of the generated class, so C2 sees a constant and intrinsifies every call.
 */
final class VectorOps {
    static final Type FLOAT_VECTOR = Type.getObjectType("jdk/incubator/vector/FloatVector");
    static final Type VECTOR = Type.getObjectType("jdk/incubator/vector/Vector");
    static final Type SPECIES = Type.getObjectType("jdk/incubator/vector/VectorSpecies");
    static final String SPECIES_FIELD = "SPECIES$"; // '$' never appears in a buffer's name

    private final GeneratorAdapter g;
    private final Type owner;

    VectorOps(GeneratorAdapter g, Type owner) {
        this.g = g;
        this.owner = owner;
    }

    /** The name of FloatVector's species constant of {@code lanes} floats. */
    static String speciesConstant(int lanes) {
        return "SPECIES_" + (lanes * 32);
    }

    int newVector() {
        return g.newLocal(FLOAT_VECTOR);
    }

    private void species() {
        g.getStatic(owner, SPECIES_FIELD, SPECIES);
    }

    /** Pushes a vector of zeros. */
    void zero() {
        species();
        g.invokeStatic(FLOAT_VECTOR, new Method("zero", FLOAT_VECTOR, new Type[] {SPECIES}));
    }

    /** Pushes the vector of the lanes of {@code array[index]} on. */
    void fromArray(Runnable array, Runnable index) {
        species();
        array.run();
        index.run();
        g.invokeStatic(FLOAT_VECTOR, new Method("fromArray", FLOAT_VECTOR,
                new Type[] {SPECIES, Type.getType(float[].class), Type.INT_TYPE}));
    }

    static final Type MASK = Type.getObjectType("jdk/incubator/vector/VectorMask");

    /** Pushes the mask of the first {@code count} lanes. */
    void firstLanes(int count) {
        species();
        g.push(0);
        g.push(count);
        g.invokeInterface(SPECIES, new Method("indexInRange", MASK, new Type[] {Type.INT_TYPE, Type.INT_TYPE}));
    }

    /** Pushes the mask of the last {@code count} of {@code lanes} lanes. */
    void lastLanes(int count, int lanes) {
        species();
        g.push(count - lanes);
        g.push(count);
        g.invokeInterface(SPECIES, new Method("indexInRange", MASK, new Type[] {Type.INT_TYPE, Type.INT_TYPE}));
    }

    int newMask() {
        return g.newLocal(MASK);
    }

    /** Like {@link #fromArray}, reading only the lanes of mask local {@code mask} (the others are 0; all when -1). */
    void fromArray(Runnable array, Runnable index, int mask) {
        if (mask < 0) {
            fromArray(array, index);
            return;
        }
        species();
        array.run();
        index.run();
        g.loadLocal(mask);
        g.invokeStatic(FLOAT_VECTOR, new Method("fromArray", FLOAT_VECTOR,
                new Type[] {SPECIES, Type.getType(float[].class), Type.INT_TYPE, MASK}));
    }

    /** {@code v, array, index -> } stores only the lanes of mask local {@code mask} (all of them when it is -1). */
    void intoArray(int mask) {
        if (mask < 0) {
            intoArray();
            return;
        }
        g.loadLocal(mask);
        g.invokeVirtual(FLOAT_VECTOR, new Method("intoArray", Type.VOID_TYPE,
                new Type[] {Type.getType(float[].class), Type.INT_TYPE, MASK}));
    }

    /** Pushes a vector with every lane the float {@code pushFloat} pushes. */
    void broadcast(Runnable pushFloat) {
        species();
        pushFloat.run();
        g.invokeStatic(FLOAT_VECTOR, new Method("broadcast", FLOAT_VECTOR, new Type[] {SPECIES, Type.FLOAT_TYPE}));
    }

    /** {@code a, b, c -> a * b + c}, fused. */
    void fma() {
        g.invokeVirtual(FLOAT_VECTOR, new Method("fma", FLOAT_VECTOR, new Type[] {VECTOR, VECTOR}));
    }

    /** {@code v, scalar -> v * scalar}. */
    void mulScalar() {
        g.invokeVirtual(FLOAT_VECTOR, new Method("mul", FLOAT_VECTOR, new Type[] {Type.FLOAT_TYPE}));
    }

    /** {@code a, b -> a + b}. */
    void add() {
        g.invokeVirtual(FLOAT_VECTOR, new Method("add", FLOAT_VECTOR, new Type[] {VECTOR}));
    }

    /** {@code a, b -> a - b}. */
    void sub() {
        g.invokeVirtual(FLOAT_VECTOR, new Method("sub", FLOAT_VECTOR, new Type[] {VECTOR}));
    }

    /** {@code v, array, index -> } stores the lanes at {@code array[index]} on. */
    void intoArray() {
        g.invokeVirtual(FLOAT_VECTOR, new Method("intoArray", Type.VOID_TYPE,
                new Type[] {Type.getType(float[].class), Type.INT_TYPE}));
    }

    /** Emits the static initializer that sets the species field to FloatVector's constant of {@code lanes}. */
    static void declareSpecies(org.objectweb.asm.ClassWriter cw, Type owner, int lanes) {
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, SPECIES_FIELD,
                SPECIES.getDescriptor(), null, null).visitEnd();
        GeneratorAdapter clinit = new GeneratorAdapter(Opcodes.ACC_STATIC, new Method("<clinit>", "()V"), null, null, cw);
        clinit.getStatic(FLOAT_VECTOR, speciesConstant(lanes), SPECIES);
        clinit.putStatic(owner, SPECIES_FIELD, SPECIES);
        clinit.returnValue();
        clinit.endMethod();
    }
}
