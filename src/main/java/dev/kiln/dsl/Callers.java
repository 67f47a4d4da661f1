package dev.kiln.dsl;

import dev.kiln.ir.SourcePos;
import java.util.Set;

/**
 * Where in the user's code a Java-DSL call was made: the first stack frame outside Kiln's graph-building
 * packages, which {@link Tf} gives every node it builds and every error it reports.
 */
final class Callers {
    private static final Set<String> INTERNAL = Set.of("dev.kiln.dsl", "dev.kiln.ir", "dev.kiln.ops", "dev.kiln.grad");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final java.security.CodeSource KILN_CODE = Callers.class.getProtectionDomain().getCodeSource();

    private Callers() {}

    /** A frame of Kiln's own graph building (not a user's class that happens to share a package name). */
    private static boolean internal(StackWalker.StackFrame f) {
        Class<?> c = f.getDeclaringClass();
        return INTERNAL.contains(c.getPackageName())
                && java.util.Objects.equals(c.getProtectionDomain().getCodeSource(), KILN_CODE);
    }

    /** The position of the innermost caller outside Kiln (file and line; unknown when none). */
    static SourcePos position() {
        return WALKER.walk(frames -> frames.filter(f -> !internal(f)).findFirst()
                .map(f -> new SourcePos(f.getFileName() == null ? f.getClassName() : f.getFileName(),
                        f.getLineNumber(), 0))
                .orElse(SourcePos.UNKNOWN));
    }
}
