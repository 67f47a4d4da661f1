package dev.kiln.codegen;

import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;

/** A thin layer over ASM's {@link GeneratorAdapter}: counted loops, array element access, int arithmetic. */
final class Emitter {
    final GeneratorAdapter g;

    Emitter(GeneratorAdapter g) {
        this.g = g;
    }

    /**
     * A writer computing frames and maxima. Generated code never merges two different reference types, so
     * the common superclass is never needed: answering Object spares ASM from loading classes.
     */
    static org.objectweb.asm.ClassWriter classWriter() {
        return new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_FRAMES
                | org.objectweb.asm.ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
    }

    int newInt() {
        return g.newLocal(Type.INT_TYPE);
    }

    int newFloat() {
        return g.newLocal(Type.FLOAT_TYPE);
    }

    /** {@code for (counter = from; counter < to; counter += step) body}, in the shape C2 treats as a counted loop. */
    void loop(int counter, int from, int to, int step, Runnable body) {
        g.push(from);
        g.storeLocal(counter);
        loopFromCurrent(counter, to, step, body);
    }

    /** {@code for (counter = fromLocal; counter < toLocal - slack; counter += step) body}, bounds in int locals. */
    void loopLocals(int counter, int fromLocal, int toLocal, int slack, int step, Runnable body) {
        g.loadLocal(fromLocal);
        g.storeLocal(counter);
        whileBelow(counter, () -> {
            g.loadLocal(toLocal);
            if (slack != 0) {
                g.push(slack);
                g.math(GeneratorAdapter.SUB, Type.INT_TYPE);
            }
        }, step, body);
    }

    /** {@code for (; counter < toLocal; counter++) body}. */
    void loopFromCurrentLocal(int counter, int toLocal, Runnable body) {
        whileBelow(counter, () -> g.loadLocal(toLocal), 1, body);
    }

    /** Like {@link #loop} but starting from the counter's current value. */
    void loopFromCurrent(int counter, int to, int step, Runnable body) {
        whileBelow(counter, () -> g.push(to), step, body);
    }

    /** {@code for (; counter < bound; counter += step) body}, {@code pushBound} pushing the bound each time. */
    private void whileBelow(int counter, Runnable pushBound, int step, Runnable body) {
        Label head = g.newLabel();
        Label end = g.newLabel();
        g.mark(head);
        g.loadLocal(counter);
        pushBound.run();
        g.ifICmp(GeneratorAdapter.GE, end);
        body.run();
        g.iinc(counter, step);
        g.goTo(head);
        g.mark(end);
    }

    /** Pushes {@code base + index * scale + offset} (an int), skipping the parts that are zero. */
    void index(int base, int index, int scale, int offset) {
        boolean any = false;
        if (base >= 0) {
            g.loadLocal(base);
            any = true;
        }
        if (index >= 0 && scale != 0) {
            g.loadLocal(index);
            if (scale != 1) {
                g.push(scale);
                g.math(GeneratorAdapter.MUL, Type.INT_TYPE);
            }
            if (any) {
                g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            }
            any = true;
        }
        if (offset != 0 || !any) {
            g.push(offset);
            if (any) {
                g.math(GeneratorAdapter.ADD, Type.INT_TYPE);
            }
        }
    }

    void faload() {
        g.visitInsn(Opcodes.FALOAD);
    }

    void fastore() {
        g.visitInsn(Opcodes.FASTORE);
    }

    void fadd() {
        g.visitInsn(Opcodes.FADD);
    }

    void fmul() {
        g.visitInsn(Opcodes.FMUL);
    }

    void fsub() {
        g.visitInsn(Opcodes.FSUB);
    }

    /** {@code local = 0f}. */
    void zero(int floatLocal) {
        g.push(0f);
        g.storeLocal(floatLocal);
    }
}
