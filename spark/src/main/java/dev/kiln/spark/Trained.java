package dev.kiln.spark;

import dev.kiln.io.Npy;
import dev.kiln.io.Npz;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link KilnSpark#fit} returns: every variable after the last step (the trained ones, then the
 * optimizer's slots and counters), and the loss of each step (computed before its update, as
 * {@code kiln train} prints it).
 */
public record Trained(Map<String, Tensor> variables, float[] losses) {
    /**
     * Writes every variable as {@code kiln train --save} does: into one archive when {@code target} ends in
     * {@code .npz}, else as {@code target/NAME.npy} (a slot {@code w1/Adam} as {@code target/w1/Adam.npy}), so
     * {@code kiln train --restore} and {@code kiln run --restore} read it. Returns {@code target}.
     */
    public Path save(Path target) {
        if (target.toString().endsWith(".npz")) {
            Npz.write(target, variables);
            return target;
        }
        Map<Path, Tensor> files = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> v : variables.entrySet()) {
            Path file = target.resolve(v.getKey() + ".npy").normalize();
            if (!file.startsWith(target.normalize())) {
                throw new KilnException("cannot save variable '" + v.getKey() + "' under " + target + ": its name is not a plain file name");
            }
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new KilnException(null, "cannot create " + file.getParent() + ": " + e.getMessage(), e);
            }
            files.put(file, v.getValue());
        }
        Npy.writeAll(files);
        return target;
    }
}
