package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import org.junit.jupiter.api.Test;

/** The entry point's --feed columns: a list, or every column with a prefix in the data's order. */
class MainTest {
    private static final String[] COLUMNS = {"label", "p0", "p1", "p2", "id"};

    @Test
    void aListOrAPrefix() {
        assertArrayEquals(new String[] {"label"}, Main.columns("label", COLUMNS));
        assertArrayEquals(new String[] {"p1", "p0"}, Main.columns("p1,p0", COLUMNS));
        assertArrayEquals(new String[] {"p0", "p1", "p2"}, Main.columns("p*", COLUMNS));
    }

    @Test
    void aPrefixMatchingNothingSaysWhatThereIs() {
        KilnException e = assertThrows(KilnException.class, () -> Main.columns("q*", COLUMNS));
        assertEquals("--feed ...=q*: no column starts with 'q' (columns: label, p0, p1, p2, id)", e.getMessage());
    }
}
