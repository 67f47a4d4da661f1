package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the example scripts and of the error corpus ({@link ScriptMutator}): parsing one
 * either succeeds or throws a {@link ScriptException} whose one-line message starts with
 * {@code fuzz.kiln:LINE:COL: }, the line and column inside the text; never anything else, never an
 * "internal error", and never slowly. The loop, its determinism and its system properties are
 * {@link FuzzLoop}'s; for example {@code mvn -q -B test -Dtest=ScriptFuzzTest -Dkiln.fuzz=1000000}.
 */
class ScriptFuzzTest {
    @Test
    void mutationsOnlyEverThrowScriptExceptionsPointingIntoTheText() throws Exception {
        List<String> examples = FuzzLoop.texts("examples", ".kiln");
        List<String> malformed = FuzzLoop.texts("src/test/resources/dsl/errors", ".kiln");
        assertTrue(examples.size() >= 4 && examples.size() + malformed.size() >= 60,
                "only " + (examples.size() + malformed.size()) + " seed scripts");
        new FuzzLoop("ScriptFuzzTest", "fuzz.kiln", Script::parse, ScriptMutator::mutate).check(examples, malformed);
    }
}
