package dev.kiln.plan;

import dev.kiln.ir.Node;
import java.util.List;

/** One thing a run does, in order. */
public sealed interface Step {
    /** Runs the kernel computing {@code node} from {@code inputs} into {@code output}. */
    record Kernel(Node node, List<Buffer> inputs, Buffer output, String method) implements Step {}

    /** Copies {@code from} into {@code to}: an assignment at the end of a run, or saving a value a run would overwrite. */
    record Copy(Buffer from, Buffer to, Node node) implements Step {}
}
