package dev.kiln.dsl;

import static dev.kiln.dsl.Tf.NONE;
import static dev.kiln.dsl.Tf.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.SourcePos;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java builder reports the same errors as the text DSL: each case builds, through {@link Tf}, the
 * graph of a malformed script in {@code src/test/resources/dsl/errors}, and the {@link KilnException}
 * must carry the script's message (positions aside, including those inside the message, which point
 * at this file) and start with this file and the line of the call that failed. That line is the one
 * ending in the marker comment {@code //! NAME}, found by reading this file's source.
 */
class JavaErrorsTest {
    static final Path SOURCE = Path.of("src/test/java/dev/kiln/dsl/JavaErrorsTest.java");
    static final String FILE = "JavaErrorsTest.java";

    /** A script and the Java that builds the same graph; the failing line carries {@code //! name}. */
    record Case(String name, Consumer<Tf> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("matmul_shape_mismatch", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(4, 5)));
            tf.matmul(x, w); //! matmul_shape_mismatch
        }));
        c.add(new Case("multiline_error", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.matmul(x, w, false, true); //! multiline_error
        }));
        c.add(new Case("matmul_operator_scalar", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            tf.placeholder("y", shape(NONE, 3));
            tf.matmul(x, tf.constant(2f)); //! matmul_operator_scalar
        }));
        c.add(new Case("matmul_rank_one", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node b = tf.variable("b", tf.zeros(shape(3)));
            tf.matmul(b, w); //! matmul_rank_one
        }));
        c.add(new Case("broadcast_failure", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node b = tf.variable("b", tf.zeros(shape(5)));
            tf.add(tf.matmul(x, w), b); //! broadcast_failure
        }));
        c.add(new Case("maximum_broadcast_failure", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.maximum(w, tf.zeros(shape(2, 4))); //! maximum_broadcast_failure
        }));
        c.add(new Case("sub_rank3_broadcast_failure", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node v = tf.variable("v", tf.zeros(shape(2, 3, 4)));
            tf.sub(v, tf.ones(shape(3, 3, 1))); //! sub_rank3_broadcast_failure
        }));
        c.add(new Case("bad_axis", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.reduceSum(x, new int[] {2}, false); //! bad_axis
        }));
        c.add(new Case("reduce_negative_axis", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.reduceSum(w, new int[] {-3}, true); //! reduce_negative_axis
        }));
        c.add(new Case("reduce_repeated_axis", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.reduceMean(w, new int[] {1, -1}, false); //! reduce_repeated_axis
        }));
        c.add(new Case("reshape_impossible", tf -> {
            Node x = tf.placeholder("x", shape(2, 3));
            tf.reshape(x, 4, 5); //! reshape_impossible
        }));
        c.add(new Case("reshape_two_unknown", tf -> {
            Node x = tf.placeholder("x", shape(2, 3));
            tf.reshape(x, -1, -1); //! reshape_two_unknown
        }));
        c.add(new Case("reshape_cannot_infer", tf -> {
            Node x = tf.placeholder("x", shape(2, 3));
            tf.reshape(x, -1, 4); //! reshape_cannot_infer
        }));
        c.add(new Case("transpose_bad_perm", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.transpose(w, 0, 0); //! transpose_bad_perm
        }));
        c.add(new Case("transpose_perm_rank", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.transpose(w, 1, 0, 2); //! transpose_perm_rank
        }));
        c.add(new Case("constant_shape_mismatch", tf -> {
            tf.constant(new float[] {1f, 2f, 3f}, shape(2, 2)); //! constant_shape_mismatch
        }));
        c.add(new Case("random_normal_negative_stddev", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.randomNormal(shape(2, 2), 0f, -1f, null); //! random_normal_negative_stddev
        }));
        c.add(new Case("variable_unknown_shape", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.variable("v", x); //! variable_unknown_shape
        }));
        c.add(new Case("assign_non_variable", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node h = tf.name("h", tf.matmul(x, w));
            tf.assign(h, tf.mul(h, 2f)); //! assign_non_variable
        }));
        c.add(new Case("assign_placeholder", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.assign(x, tf.mul(x, 2f)); //! assign_placeholder
        }));
        c.add(new Case("assign_shape_mismatch", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.assign(w, tf.zeros(shape(4, 3))); //! assign_shape_mismatch
        }));
        c.add(new Case("gradient_no_dependency", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node w2 = tf.variable("w2", tf.zeros(shape(4, 2)));
            Node loss = tf.name("loss", tf.reduceSum(tf.matmul(x, w)));
            tf.gradients(loss, w, w2); //! gradient_no_dependency
        }));
        c.add(new Case("gradient_through_assign", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node newW = tf.name("new_w", tf.assign(w, tf.mul(w, 2f)));
            Node loss = tf.name("loss", tf.reduceSum(newW));
            tf.gradients(loss, w); //! gradient_through_assign
        }));
        c.add(new Case("gradient_second_order", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            Node loss = tf.name("loss", tf.reduceSum(tf.relu(tf.matmul(x, w))));
            Node g = tf.name("g", tf.gradients(loss, w).get(0));
            tf.gradients(tf.reduceSum(g), w); //! gradient_second_order
        }));
        c.add(new Case("placeholder_name_reused", tf -> {
            tf.placeholder("inp", shape(2));
            tf.placeholder("inp", shape(2)); //! placeholder_name_reused
        }));
        c.add(new Case("placeholder_then_variable", tf -> {
            tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.variable("x", tf.zeros(shape(2, 2))); //! placeholder_then_variable
        }));
        c.add(new Case("variable_name_is_placeholder", tf -> {
            tf.placeholder("inp", shape(2));
            tf.variable("inp", tf.zeros(shape(3))); //! variable_name_is_placeholder
        }));
        c.add(new Case("rebind_placeholder", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.name("x", tf.mul(x, 2f)); //! rebind_placeholder
        }));
        c.add(new Case("name_argument_taken", tf -> {
            Node x = tf.placeholder("x", shape(NONE, 3));
            Node w = tf.variable("w", tf.randomNormal(shape(3, 4)));
            tf.name("w", tf.matmul(x, w)); //! name_argument_taken
        }));
        return c;
    }

    @Test
    void everyCaseHasItsScriptAndItsMarker() throws IOException {
        Set<String> names = new HashSet<>();
        for (Case c : cases()) {
            assertTrue(names.add(c.name()), "two cases named " + c.name());
            assertTrue(Files.exists(script(c)), "no script for " + c.name());
            markerLine(c.name());
        }
        assertTrue(names.size() >= 25, "only " + names.size() + " cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theJavaBuilderReportsTheScriptsErrorAtTheCallersLine(Case c) throws IOException {
        ScriptException fromScript = assertThrows(ScriptException.class, () -> Script.parse(script(c)));
        Tf tf = new Tf();
        KilnException fromJava = assertThrows(KilnException.class, () -> c.build().accept(tf));
        assertFalse(fromJava instanceof ScriptException);
        assertEquals(withoutPositions(fromScript.detail()), withoutPositions(fromJava.detail()));
        assertEquals(new SourcePos(FILE, markerLine(c.name()), 0), fromJava.pos());
        assertEquals(fromJava.pos() + ": " + fromJava.detail(), fromJava.getMessage());
        // a position inside the message is one of this file's lines, as in the script it is one of the script's
        for (String inside : positions(fromJava.detail())) {
            assertTrue(inside.matches(FILE.replace(".", "\\.") + ":\\d+"), inside);
        }
        assertEquals(positions(fromScript.detail()).size(), positions(fromJava.detail()).size());
    }

    /** Positions ({@code two_layer.kiln:5:9}, {@code Foo.java:12}) replaced by {@code <pos>}. */
    static String withoutPositions(String message) {
        return message.replaceAll(POSITION, "<pos>");
    }

    static final String POSITION = "[\\w.-]+\\.(kiln|java):\\d+(:\\d+)?";

    static List<String> positions(String message) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(POSITION).matcher(message);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static Path script(Case c) {
        try {
            return Path.of(JavaErrorsTest.class.getResource("/dsl/errors").toURI()).resolve(c.name() + ".kiln");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 1-based line of this file that ends in {@code //! name}. */
    static int markerLine(String name) throws IOException {
        List<String> lines = Files.readAllLines(SOURCE, StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("//! " + name)) {
                assertEquals(-1, found, "two markers for " + name);
                found = i + 1;
            }
        }
        assertTrue(found > 0, "no marker for " + name);
        return found;
    }

    // ---- errors only the Java builder can make

    @Test
    void javaOnlyErrorsAlsoPointAtTheCallersLine() throws IOException {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", shape(2, 3));
        Node other = new Tf().placeholder("o", shape(2, 3));
        List<Runnable> calls = List.of(
                () -> tf.add(x, other), //! another_graph
                () -> tf.gradients(tf.reduceSum(x), other), //! another_graph_gradients
                () -> tf.placeholder("", shape(2)), //! empty_name
                () -> shape(0, 3), //! bad_dimension
                () -> tf.zeros(shape(NONE, 3))); //! unknown_fill
        List<String> markers = List.of("another_graph", "another_graph_gradients", "empty_name", "bad_dimension", "unknown_fill");
        for (int i = 0; i < calls.size(); i++) {
            Runnable call = calls.get(i);
            KilnException e = assertThrows(KilnException.class, call::run, markers.get(i));
            assertEquals(new SourcePos(FILE, markerLine(markers.get(i)), 0), e.pos(), e.getMessage());
        }
    }

    @Test
    void nullArgumentsAreReportedNotThrownAsNullPointerExceptions() throws IOException {
        Tf tf = new Tf();
        Node x = tf.placeholder("x", shape(2, 3));
        List<Runnable> calls = List.of(
                () -> tf.add(x, null),
                () -> tf.relu(null),
                () -> tf.matmul(null, x),
                () -> tf.reduceSum(null),
                () -> tf.reduceMean(null, new int[] {0}, true),
                () -> tf.transpose(null),
                () -> tf.transpose(null, 1, 0),
                () -> tf.reshape(null, 6),
                () -> tf.reshape(x, (int[]) null),
                () -> tf.pow(null, 2f),
                () -> tf.variable("v", (Node) null),
                () -> tf.variable("v", (dev.kiln.ir.Tensor) null),
                () -> tf.placeholder("p", null),
                () -> tf.placeholder(null, shape(2)),
                () -> tf.zeros(null),
                () -> tf.constant(null, shape(2)),
                () -> tf.constant((dev.kiln.ir.Tensor) null),
                () -> tf.gradients(null, x),
                () -> tf.gradients(tf.reduceSum(x), (Node) null),
                () -> tf.assign(null, x),
                () -> tf.assign(tf.variable("w", tf.zeros(shape(2, 3))), null),
                () -> tf.name("n", null),
                () -> tf.name(null, x)); //! null_arguments
        int line = markerLine("null_arguments");
        for (int i = 0; i < calls.size(); i++) {
            KilnException e = assertThrows(KilnException.class, calls.get(i)::run, "call " + i);
            assertNotNull(e.pos(), "call " + i);
            assertEquals(FILE, e.pos().file(), "call " + i + ": " + e.getMessage());
            assertEquals(line - calls.size() + 1 + i, e.pos().line(), "call " + i + ": " + e.getMessage());
            assertTrue(e.detail().contains("null"), "call " + i + ": " + e.getMessage());
        }
    }
}
