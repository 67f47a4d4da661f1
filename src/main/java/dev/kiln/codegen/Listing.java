package dev.kiln.codegen;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.objectweb.asm.ClassReader;
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

    /** The bytecode verifier's complaints about the class, or the empty string when it verifies. */
    public static String verify(byte[] bytes, ClassLoader loader) {
        StringWriter w = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(w));
        return w.toString();
    }
}
