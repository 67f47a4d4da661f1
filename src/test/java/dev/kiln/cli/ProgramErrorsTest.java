package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden error tests for {@code kiln exec}: every {@code NAME.py} under
 * {@code src/test/resources/programs/errors} is a small TF1 program with one problem, and
 * {@code NAME.expected} beside it holds two lines: the exact message {@code kiln exec} prints after
 * {@code kiln: error: } ({@code NAME.py:LINE:COL: message}, with the iteration for a failure inside a
 * loop), and {@code exit 2} (refused before anything ran) or {@code exit 1} (failed while running). A
 * program whose first line is {@code # args: FLAGS} runs with those flags too.
 *
 * <p>Each case must print its message, then the source line and a caret, and no stack trace; a refused
 * program must print nothing on standard output.
 */
class ProgramErrorsTest {
    static final Path DIR = Path.of("src/test/resources/programs/errors");
    private static final String ARGS = "# args:";

    static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
    }

    /** Each kind of malformed program {@code kiln exec} promises a positioned message for, with cases of it. */
    private static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("constructs outside the subset", List.of("class_statement", "try_except", "lambda_expression",
                "raise_statement", "global_statement", "del_statement", "assert_statement", "yield_statement",
                "async_def", "import_os", "from_import", "nested_def", "star_args", "set_literal", "decorator",
                "walrus", "star_unpacking"));
        CATEGORIES.put("indentation", List.of("unexpected_indent", "unindent_mismatch", "missing_indented_block",
                "missing_block_at_end", "else_without_if", "tabs_and_spaces", "tab_then_spaces"));
        CATEGORIES.put("syntax", List.of("if_missing_colon", "for_missing_colon", "while_missing_colon",
                "with_missing_colon", "def_missing_colon", "break_outside_loop", "continue_outside_loop",
                "return_outside_function", "fstring_unterminated", "fstring_missing_brace", "fstring_bad_conversion",
                "fstring_empty_field", "unclosed_bracket", "stray_brace", "python2_print"));
        CATEGORIES.put("names and values at run time", List.of("unknown_name", "call_non_function",
                "unknown_numpy_function", "def_wrong_argument_count", "def_too_many_arguments", "list_index_out_of_range",
                "dict_key_error", "unpack_wrong_count", "len_of_int", "array_truth_value", "tensor_in_if",
                "def_unexpected_keyword", "slice_step_zero", "unpack_tensor", "tensor_not_iterable", "recursion_too_deep",
                "while_loop_failure", "list_repeated_too_long"));
        CATEGORIES.put("sessions", List.of("feed_wrong_shape_in_loop", "feed_non_placeholder", "feed_dict_not_dict",
                "fetch_not_tensor", "uninitialized_variable", "closed_session", "eval_without_session",
                "restore_missing_file", "feeds_disagree_on_batch", "feed_ragged_list", "feed_empty_array",
                "save_missing_directory", "feed_missing", "fetch_function"));
        CATEGORIES.put("NumPy", List.of("np_load_missing_file", "broadcast_mismatch", "bad_reshape",
                "random_seed_negative", "array_too_big"));
        CATEGORIES.put("graph building", List.of("matmul_shape_mismatch", "tf_zeros_too_big", "nan_check_numerics",
                "tensor_plus_array_mismatch"));
    }

    @Test
    void coversEveryCategory() throws IOException {
        List<String> names = cases().stream().map(ProgramErrorsTest::name).toList();
        for (Map.Entry<String, List<String>> c : CATEGORIES.entrySet()) {
            for (String name : c.getValue()) {
                assertTrue(names.contains(name), c.getKey() + ": no case " + name + ".py");
            }
        }
        assertTrue(names.size() >= 50, "only " + names.size() + " cases");
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".expected")).toList()) {
                assertTrue(names.contains(name(p)), p + " has no program beside it");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheExpectedError(Path program) throws IOException {
        List<String> expected = Files.readAllLines(DIR.resolve(name(program) + ".expected"), StandardCharsets.UTF_8);
        assertEquals(2, expected.size(), "an .expected file holds the message, then 'exit N'");
        int status = Integer.parseInt(expected.get(1).replaceFirst("^exit ", ""));
        List<String> source = Files.readAllLines(program, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("exec"));
        if (source.get(0).startsWith(ARGS)) {
            args.addAll(Arrays.asList(source.get(0).substring(ARGS.length()).trim().split("\\s+")));
        }
        args.add(program.toString());
        Cli run = Cli.run(args.toArray(String[]::new));

        assertEquals(status, run.status(), run.toString());
        String[] err = run.err().split("\n");
        assertEquals("kiln: error: " + expected.get(0), err[0]);
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "a stack trace:\n" + run.err());
        int line = Integer.parseInt(expected.get(0).split(":")[1]);
        assertEquals(3, err.length, "the message, the line, a caret:\n" + run.err());
        assertEquals(source.get(line - 1), err[1]);
        assertTrue(err[2].endsWith("^"), run.err());
        if (status == Main.BAD_INPUT) {
            assertEquals("", run.out(), "a program refused before it runs prints nothing");
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString().replaceAll("\\.(py|expected)$", "");
    }
}
