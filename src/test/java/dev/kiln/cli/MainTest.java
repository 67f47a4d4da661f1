package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Main#runsCompiledGraphs}: the guess, before picocli parses, that starts the kernel warm-up early. */
class MainTest {
    @Test
    void commandsThatRunTheCompiledEngineStartTheWarmUp() {
        assertTrue(Main.runsCompiledGraphs(new String[] {"train", "m.kiln"}));
        assertTrue(Main.runsCompiledGraphs(new String[] {"run", "m.kiln", "--engine", "compiled"}));
        assertTrue(Main.runsCompiledGraphs(new String[] {"exec", "p.py", "--engine=compiled"}));
    }

    @Test
    void theInterpreterAndCommandsThatRunNothingDoNot() {
        assertFalse(Main.runsCompiledGraphs(new String[] {}));
        assertFalse(Main.runsCompiledGraphs(new String[] {"--version"}));
        assertFalse(Main.runsCompiledGraphs(new String[] {"ir", "m.kiln"}));
        assertFalse(Main.runsCompiledGraphs(new String[] {"compile", "m.kiln"}));
        assertFalse(Main.runsCompiledGraphs(new String[] {"train", "m.kiln", "--engine", "interpreter"}));
        assertFalse(Main.runsCompiledGraphs(new String[] {"exec", "--engine=interpreter", "p.py"}));
    }
}
