package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the whole TF1 programs of {@code examples/tf1} and of the program error corpus
 * ({@link ProgramMutator}: the script edits, and indentation, blocks and program syntax): parsing one
 * either succeeds or throws a {@link ScriptException} whose one-line message starts with
 * {@code fuzz.py:LINE:COL: }, the line and column inside the text; never anything else, never an
 * "internal error", and never slowly. Only parsed, never run: a mutated program could loop forever.
 * The loop, its determinism and its system properties are {@link FuzzLoop}'s; for example
 * {@code mvn -q -B test -Dtest=ProgramFuzzTest -Dkiln.fuzz=1000000}.
 */
class ProgramFuzzTest {
    @Test
    void mutationsOnlyEverThrowScriptExceptionsPointingIntoTheText() throws Exception {
        List<String> examples = FuzzLoop.texts("examples/tf1", ".py");
        List<String> malformed = FuzzLoop.texts("src/test/resources/programs/errors", ".py");
        assertTrue(examples.size() >= 4 && malformed.size() >= 50, "only " + examples.size() + " examples and "
                + malformed.size() + " malformed programs");
        new FuzzLoop("ProgramFuzzTest", "fuzz.py", TfProgram::parse, ProgramMutator::mutate).check(examples, malformed);
    }
}
