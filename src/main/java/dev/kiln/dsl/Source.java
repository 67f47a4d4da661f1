package dev.kiln.dsl;

import dev.kiln.ir.SourcePos;
import java.util.ArrayList;
import java.util.List;

/** The text of a script split into lines, and the factory of its {@link ScriptException}s. */
final class Source {
    private final String file;
    private final String text;
    private final List<String> lines = new ArrayList<>();

    Source(String text, String file) {
        this.file = file == null || file.isEmpty() ? "<script>" : file;
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int start = 0;
        int n = this.text.length();
        for (int i = 0; i < n; i++) {
            char c = this.text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(this.text.substring(start, i));
                if (c == '\r' && i + 1 < n && this.text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(this.text.substring(start));
    }

    String file() {
        return file;
    }

    String text() {
        return text;
    }

    /** Line {@code line} (1-based), or "" when there is none. */
    String line(int line) {
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
    }

    int lineCount() {
        return lines.size();
    }

    SourcePos pos(int line, int column) {
        return new SourcePos(file, line, Math.max(1, column));
    }

    /** An error at {@code pos}, carrying the source line so it can show a caret. */
    ScriptException error(SourcePos pos, String message) {
        return error(pos, message, null);
    }

    ScriptException error(SourcePos pos, String message, Throwable cause) {
        SourcePos p = pos == null || pos.line() < 1 ? pos(Math.max(1, lineCount()), 1)
                : pos.column() < 1 ? new SourcePos(pos.file(), pos.line(), 1) : pos;
        return new ScriptException(p, message, line(p.line()), cause);
    }
}
