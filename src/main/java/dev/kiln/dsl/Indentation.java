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
 *
 * <p>An indent is not checked against the line before: the parser refuses an indented block where none
 * may start, after it has said what is missing there (a ':', most often).
 */
final class Indentation {
    private final Source src;
    private final List<Token> out;
    private final Deque<Integer> widths = new ArrayDeque<>();

    Indentation(Source src, List<Token> out) {
        this.src = src;
        this.out = out;
        widths.push(0);
    }

    /** A logical line starts at {@code text}, indented {@code width} from {@code lineStart}. */
    void line(int width, SourcePos lineStart, SourcePos text) {
        if (width > widths.peek()) {
            widths.push(width);
            out.add(new Token(Kind.INDENT, "", null, text));
            return;
        }
        while (width < widths.peek()) {
            widths.pop();
            out.add(new Token(Kind.DEDENT, "", null, text));
        }
        if (width != widths.peek()) {
            throw src.error(text, "unindent does not match any outer indentation level");
        }
    }

    /** The end of the file closes every open block. */
    void closeAll(SourcePos at) {
        while (widths.size() > 1) {
            widths.pop();
            out.add(new Token(Kind.DEDENT, "", null, at));
        }
    }
}
