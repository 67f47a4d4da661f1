package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden error tests: every {@code NAME.kiln} under {@code src/test/resources/dsl/errors} is a malformed
 * script and {@code NAME.expected} beside it holds the exact one-line message,
 * {@code NAME.kiln:LINE:COL: message}.
 */
class ScriptErrorsTest {
    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(ScriptErrorsTest.class.getResource("/dsl/errors").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".kiln")).sorted().toList();
        }
    }

    /** Each kind of malformed script the command line promises a positioned message for, with cases of it. */
    private static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("bad tokens", List.of("bad_token", "non_ascii_name", "control_character", "backslash_mid_line",
                "invalid_number", "double_underscore", "hex_number", "leading_zero", "very_long_number", "dict_literal",
                "unterminated_string", "unterminated_triple_string", "string_line_separator"));
        CATEGORIES.put("unbalanced brackets", List.of("mismatched_bracket", "unbalanced_bracket", "unmatched_paren",
                "unclosed_at_eof", "unterminated_paren", "unclosed_list_then_statement"));
        CATEGORIES.put("syntax Kiln does not read", List.of("comparison", "lambda_expression", "slicing", "comprehension",
                "def_statement", "if_statement", "for_statement", "from_import", "augmented_assignment", "star_args"));
        CATEGORIES.put("unknown functions", List.of("unknown_function", "unknown_function_bare", "unknown_function_nn",
                "unknown_submodule", "numpy_function"));
        CATEGORIES.put("unknown names", List.of("unknown_name", "used_before_defined", "dtype_misspelled",
                "tensor_attribute", "attribute_of_number"));
        CATEGORIES.put("wrong argument counts", List.of("missing_argument", "too_many_arguments",
                "method_missing_argument", "gradients_missing_xs", "placeholder_too_many_arguments"));
        CATEGORIES.put("wrong keywords", List.of("unknown_keyword", "duplicate_keyword", "multiple_values",
                "positional_after_keyword", "keyword_to_no_argument_function", "axis_given_twice"));
        CATEGORIES.put("assigning to a non-variable", List.of("assign_non_variable", "assign_to_placeholder",
                "assign_to_constant", "tf_assign_non_variable", "tf_assign_number", "assign_to_call",
                "assign_to_attribute", "assign_to_element", "assign_to_none", "assign_to_empty_tuple"));
        CATEGORIES.put("unpacking the wrong number of values", List.of("unpack_tuple_count", "unpack_wrong_count",
                "unpack_too_few_values", "unpack_gradients_into_one", "unpack_tensor", "unpack_number",
                "nested_unpacking"));
        CATEGORIES.put("gradients through a non-differentiable path", List.of("gradient_no_dependency",
                "gradient_through_assign", "gradient_of_gradient", "gradient_no_path", "gradient_of_two_losses",
                "gradient_wrt_string"));
        CATEGORIES.put("a name both placeholder and variable", List.of("placeholder_then_variable",
                "variable_then_placeholder", "variable_named_like_placeholder", "alias_then_variable",
                "placeholder_name_reused", "variable_name_reused", "rebind_placeholder", "op_named_like_variable"));
        CATEGORIES.put("shapes and values", List.of("matmul_shape_mismatch", "broadcast_failure", "bad_axis",
                "reshape_impossible", "bad_dimension", "assign_shape_mismatch", "dtype_int32"));
    }

    @Test
    void coversEveryCategory() throws Exception {
        List<String> names = cases().stream().map(p -> p.getFileName().toString().replaceAll("\\.kiln$", "")).toList();
        for (Map.Entry<String, List<String>> c : CATEGORIES.entrySet()) {
            for (String name : c.getValue()) {
                assertTrue(names.contains(name), c.getKey() + ": no case " + name + ".kiln");
            }
        }
        assertTrue(names.size() >= 120, "only " + names.size() + " cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheExpectedError(Path script) throws IOException {
        Path expectedFile = Path.of(script.toString().replaceAll("\\.kiln$", ".expected"));
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8).strip();
        ScriptException e = assertThrows(ScriptException.class, () -> Script.parse(script));
        assertEquals(expected, e.getMessage());
        String[] lines = e.fullMessage().split("\n", -1);
        assertEquals(3, lines.length);
        assertEquals(e.getMessage(), lines[0]);
        assertEquals(e.pos().column(), lines[2].length());
        assertTrue(lines[2].endsWith("^"));
        List<String> source = Files.readAllLines(script, StandardCharsets.UTF_8);
        assertEquals(source.get(e.pos().line() - 1), lines[1]);
    }
}
