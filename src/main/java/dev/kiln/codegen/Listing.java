package dev.kiln.codegen;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;
import org.objectweb.asm.util.TraceClassVisitor;

/** Human-readable forms of generated classes: ASM's Textifier listing, and the verifier's report. */
public final class Listing {
    private Listing() {}

    /** The class as text, one instruction per line (ASM's Textifier). */
    public static String of(byte[] bytes) {
        StringWriter w = new StringWriter();
        new ClassReader(bytes).accept(new TraceClassVisitor(new PrintWriter(w)), 0);
        return w.toString();
    }

    /**
     * The bytecode verifier's complaints about the class, or the empty string when it verifies. Also
     * reports methods taking more than the 255 parameter slots the JVM allows, which ASM's verifier
     * accepts but class loading rejects.
     */
    public static String verify(byte[] bytes, ClassLoader loader) {
        StringWriter w = new StringWriter();
        ClassReader reader = new ClassReader(bytes);
        CheckClassAdapter.verify(reader, loader, false, new PrintWriter(w));
        ClassNode cn = new ClassNode();
        reader.accept(cn, ClassReader.SKIP_CODE);
        for (MethodNode m : cn.methods) {
            int slots = (Type.getArgumentsAndReturnSizes(m.desc) >> 2) - ((m.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
            if (slots > Drivers.MAX_SLOTS) {
                w.append(m.name).append(": takes ").append(String.valueOf(slots)).append(" parameter slots, more than the JVM's ")
                        .append(String.valueOf(Drivers.MAX_SLOTS)).append('\n');
            }
        }
        return w.toString();
    }
}
