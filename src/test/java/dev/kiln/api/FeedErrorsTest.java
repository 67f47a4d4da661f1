package dev.kiln.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad runs the command line cannot make, because it feeds every placeholder (from a file, or random
 * data) with an array of the right length: a run through the API with a feed missing, null, of the
 * wrong shape or length, or naming no placeholder. The same one-line message from both engines, and
 * from an instance of the user's interface. The model is {@code runs/linear.kiln} (x [?,3], y [?,1]),
 * as in the command-line corpus {@code runs/bad_runs.txt}.
 */
class FeedErrorsTest {
    interface Step {
        float run(float[] x, float[] y);
    }

    static Graph model() {
        return Script.parse(Path.of("src/test/resources/runs/linear.kiln"));
    }

    /** Runs {@code feeds} (null values allowed) in a session of the bound model that fetches the loss. */
    static Consumer<Engine> session(Object... namesAndShapes) {
        return engine -> {
            Graph g = model().bind(4);
            Map<String, Tensor> feeds = new HashMap<>();
            for (int i = 0; i < namesAndShapes.length; i += 2) {
                int[] dims = (int[]) namesAndShapes[i + 1];
                feeds.put((String) namesAndShapes[i], dims == null ? null : Tensor.zeros(Shape.of(dims)));
            }
            Kiln.session(g, List.of("loss"), List.of(), engine, 0L).run(feeds);
        };
    }

    static Stream<Arguments> sessionCases() {
        Object[][] cases = {
            {"missing feed", session("x", new int[] {4, 3}), "no feed for placeholder 'y' (shape [4,1])"},
            {"null feed", session("x", null, "y", new int[] {4, 1}), "feed 'x' is null; expected shape [4,3] (12 floats)"},
            {"wrong shape", session("x", new int[] {4, 4}, "y", new int[] {4, 1}),
                "feed 'x': expected shape [4,3] (12 floats), got shape [4,4] (16 floats)"},
            {"right length, wrong shape", session("x", new int[] {12}, "y", new int[] {4, 1}),
                "feed 'x': expected shape [4,3] (12 floats), got shape [12] (12 floats)"},
            {"another batch size", session("x", new int[] {5, 3}, "y", new int[] {5, 1}),
                "feed 'x': expected shape [4,3] (12 floats), got shape [5,3] (15 floats)"},
            {"no such placeholder", session("x", new int[] {4, 3}, "y", new int[] {4, 1}, "z", new int[] {1}),
                "feed 'z': the graph has no placeholder of that name (it has x, y)"},
            {"a variable fed", session("x", new int[] {4, 3}, "y", new int[] {4, 1}, "w", new int[] {3, 1}),
                "feed 'w': the graph has no placeholder of that name (it has x, y)"},
        };
        List<Arguments> out = new ArrayList<>();
        for (Engine e : Engine.values()) {
            for (Object[] c : cases) {
                out.add(Arguments.of(c[0] + ", " + e.name().toLowerCase(), e, c[1], c[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionCases")
    void sessionsNameTheFeedAndWhatWasExpected(String name, Engine engine, Consumer<Engine> run, String expected) {
        KilnException e = assertThrows(KilnException.class, () -> run.accept(engine));
        assertEquals(expected, e.getMessage());
    }

    static Stream<Arguments> interfaceCases() {
        Step bound = Kiln.compile(model(), Step.class, new Options().batch(4));
        Step lazy = Kiln.compile(model(), Step.class);
        return Stream.of(
            Arguments.of("wrong length", (Runnable) () -> bound.run(new float[11], new float[4]),
                "feed 'x': expected 12 floats (shape [4,3]), got 11"),
            Arguments.of("null", (Runnable) () -> bound.run(new float[12], null),
                "feed 'y' is null; expected 4 floats (shape [4,1])"),
            Arguments.of("not whole rows, batch unbound", (Runnable) () -> lazy.run(new float[7], new float[3]),
                "feed 'x': 7 floats is not a whole number of rows of shape [?,3] (3 floats each)"),
            Arguments.of("null, batch unbound", (Runnable) () -> lazy.run(null, new float[4]),
                "feed 'x' is null; expected rows of shape [?,3] (3 floats each)"),
            Arguments.of("second feed disagrees with the batch of the first", (Runnable) () -> lazy.run(new float[12], new float[5]),
                "feed 'y': expected 4 floats (shape [4,1]), got 5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interfaceCases")
    void compiledInterfacesNameTheFeedAndWhatWasExpected(String name, Runnable run, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::run);
        assertEquals(expected, e.getMessage());
    }
}
