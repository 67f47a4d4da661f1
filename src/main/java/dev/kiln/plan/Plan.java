package dev.kiln.plan;

import dev.kiln.ir.Node;
import dev.kiln.opt.Program;
import java.util.List;

/**
 * How a program runs: the buffers it uses and the steps of one run, in order. Every buffer is sized
 * here; scratch buffers are shared by values whose lifetimes do not overlap.
 *
 * @param program   the optimized program
 * @param feeds     the placeholders, in the order the run takes them
 * @param fields    the buffers that are fields of the generated class, by index
 * @param steps     what one run does
 * @param fetches   where each fetch's value is when the run ends
 */
public record Plan(Program program, List<Node> feeds, List<Buffer> fields, List<Step> steps, List<Buffer> fetches) {
    /** The buffer of a variable, or null. */
    public Buffer variable(String name) {
        return fields.stream().filter(b -> name.equals(b.variable())).findFirst().orElse(null);
    }
}
