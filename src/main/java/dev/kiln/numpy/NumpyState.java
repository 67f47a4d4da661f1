package dev.kiln.numpy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What NumPy keeps between a program's calls: the global generator {@code np.random} draws from (reseeded by
 * {@code np.random.seed}) and the directory relative paths of {@code np.load} and {@code np.save} resolve against.
 */
public final class NumpyState {
    private final RandomState random;
    private final Path workingDirectory;

    /** A state whose generator starts seeded with {@code defaultSeed} (in [0, 2^32)). */
    public NumpyState(long defaultSeed, Path workingDirectory) {
        this.random = new RandomState(defaultSeed);
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /** The global generator. */
    public RandomState random() {
        return random;
    }

    /** The directory relative paths resolve against. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    Path resolve(String path) {
        return workingDirectory.resolve(path);
    }
}
