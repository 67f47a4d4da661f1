package dev.kiln.dsl;

import dev.kiln.dsl.Token.Kind;
import dev.kiln.ir.SourcePos;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The stack of indentation widths of a whole program, as Python's tokenizer keeps it: a line indented
 * deeper than the one before opens a block (INDENT), one indented less closes blocks (one DEDENT each)
 * back to a width seen before; any other width is an error. Tabs advance to the next multiple of 8.
 * As in Python, indentation whose meaning depends on the width of a tab (a tab in one line, eight
 * spaces in the next) is an error too: each width is also measured with tabs one column wide, and the
 * two measures must order the lines alike.
 *
 * <p>An indent is not checked against the line before: the parser refuses an indented block where none
 * may start, after it has said what is missing there (a ':', most often).
 */
final class Indentation {
    private final Source src;
    private final List<Token> out;
    private final Deque<Integer> widths = new ArrayDeque<>();
    /** The same widths with each tab counted as one column. */
    private final Deque<Integer> narrowWidths = new ArrayDeque<>();

    Indentation(Source src, List<Token> out) {
        this.src = src;
        this.out = out;
        widths.push(0);
        narrowWidths.push(0);
    }

    /**
     * A logical line starts at {@code text}, indented {@code width} columns (tabs to the next multiple
     * of 8), or {@code narrow} columns when each tab counts as one.
     */
    void line(int width, int narrow, SourcePos text) {
        if (width > widths.peek()) {
            if (narrow <= narrowWidths.peek()) {
                throw inconsistent(text);
            }
            widths.push(width);
            narrowWidths.push(narrow);
            out.add(new Token(Kind.INDENT, "", null, text));
            return;
        }
        while (width < widths.peek()) {
            widths.pop();
            narrowWidths.pop();
            out.add(new Token(Kind.DEDENT, "", null, text));
        }
        if (width != widths.peek()) {
            throw src.error(text, "unindent does not match any outer indentation level");
        }
        if (narrow != narrowWidths.peek()) {
            throw inconsistent(text);
        }
    }

    private ScriptException inconsistent(SourcePos at) {
        return src.error(at, "inconsistent use of tabs and spaces in indentation");
    }

    /** The end of the file closes every open block. */
    void closeAll(SourcePos at) {
        while (widths.size() > 1) {
            widths.pop();
            narrowWidths.pop();
            out.add(new Token(Kind.DEDENT, "", null, at));
        }
    }
}
