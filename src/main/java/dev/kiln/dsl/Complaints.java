package dev.kiln.dsl;

import dev.kiln.ir.Node;

/** The complaints both frontends make in the same words, whichever one the user wrote. */
final class Complaints {
    private Complaints() {}

    /** Both frontends' complaint when {@code name} is taken by the placeholder or variable {@code old}. */
    static String alreadyDefined(String name, Node old) {
        String what = name.equals(old.name()) ? "'" + name + "' is already the " + old.op().name()
                : "'" + name + "' already refers to the " + old.op().name() + " '" + old.name() + "'";
        return what + " defined at " + old.pos().fileAndLine();
    }

    /** Both frontends' complaint about assigning to {@code ref}, called {@code name} (null: unnamed). */
    static String notAVariable(String name, Node ref) {
        return "can only assign to a variable, " + (name != null ? "'" + name + "'" : "the value") + " is "
                + Values.article(ref.op().name());
    }
}
