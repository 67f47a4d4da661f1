package dev.kiln.ir;

/**
 * Where a node was built: a file (a {@code .kiln} script or a Java source file), a 1-based line and a
 * 1-based column (0 when unknown).
 */
public record SourcePos(String file, int line, int column) {
    /** The position of nodes built where no source is known. */
    public static final SourcePos UNKNOWN = new SourcePos("<unknown>", 0, 0);

    /** {@code file:line:column}, or {@code file:line} when the column is unknown. */
    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
    }

    /** {@code file:line}, the form used in IR listings. */
    public String fileAndLine() {
        return line > 0 ? file + ":" + line : file;
    }
}
