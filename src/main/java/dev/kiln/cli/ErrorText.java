package dev.kiln.cli;

import dev.kiln.dsl.ScriptException;
import dev.kiln.ir.KilnException;

/** How the command line prints a user error: its one-line message, plus the source line and a caret when a script is at fault. */
final class ErrorText {
    private ErrorText() {}

    static String of(KilnException e) {
        return e instanceof ScriptException s ? s.fullMessage() : e.getMessage();
    }
}
