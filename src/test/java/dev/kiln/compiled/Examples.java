package dev.kiln.compiled;

import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The example models in {@code examples/}, parsed by the text frontend, with seeded feeds. */
public final class Examples {
    /** The example files; each defines {@code x}, {@code y}, {@code loss} and an assign per variable. */
    public static final List<String> FILES = List.of("two_layer.kiln", "mlp_bias_tanh.kiln", "softmax_classifier.kiln",
            "logistic_regression.kiln");

    private Examples() {}

    /** The text of {@code examples/<file>}. */
    public static String text(String file) {
        try {
            return Files.readString(Path.of("examples", file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The example bound to {@code batch}, fetching {@code loss} and performing every assign, fed values in
     * [0, 1) (labels too: the losses stay finite).
     */
    public static Differential.Case load(String file, int batch) {
        Graph g = Script.parse(text(file), file).bind(batch);
        Random r = new Random(file.hashCode());
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Node p : g.placeholders()) {
            Shape s = p.shape();
            float[] d = new float[s.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = 0.05f + 0.9f * r.nextFloat();
            }
            feeds.put(p.name(), new Tensor(s, d));
        }
        return new Differential.Case(file, g, List.of("loss"), g.sideEffects(), feeds);
    }
}
