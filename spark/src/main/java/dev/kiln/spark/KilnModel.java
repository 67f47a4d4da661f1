package dev.kiln.spark;

import dev.kiln.dsl.Script;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model as it travels to the executors: the text of its {@code .kiln} script and the file name its
 * positions cite. A {@link Graph} is not serializable and is tied to the JVM that built it; the text is
 * small, and every JVM builds the same graph from it, so executors parse it (once each, see
 * {@link GradientStep}) and the text is the key of their caches.
 *
 * @param name how positions and generated classes name the model, e.g. {@code digits_mlp.kiln}
 * @param text the script
 */
public record KilnModel(String name, String text) implements Serializable {
    public KilnModel {
        if (name == null || text == null) {
            throw new IllegalArgumentException("a model needs a name and a text");
        }
    }

    /** The model of the script in {@code file} (UTF-8). */
    public static KilnModel of(Path file) {
        try {
            Path fileName = file.getFileName();
            return new KilnModel(fileName == null ? file.toString() : fileName.toString(),
                    Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KilnException(null, "cannot read the model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The graph the script builds, its None dimensions unbound. */
    public Graph graph() {
        return Script.parse(text, name);
    }
}
