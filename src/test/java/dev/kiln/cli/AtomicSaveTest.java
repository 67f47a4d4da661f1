package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.io.Npy;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln train --save DIR} that fails leaves DIR as it was: no partial file, no temporary file,
 * and an earlier run's good files intact. The failures are ones that happen whoever runs the test,
 * root included (permission bits do not stop root): a file name too long for the file system, and a
 * directory where a file must go.
 */
class AtomicSaveTest {
    /** Longer than the 255 bytes Linux, macOS and Windows file systems allow in a name. */
    private static final String LONG = "v".repeat(300);

    @Test
    void aSaveThatFailsPartWayLeavesNoPartialFileAndKeepsTheOldOnes(@TempDir Path dir) throws IOException {
        // Both variables are trained and both files written to temporary files; moving the first into
        // place fails (its name is too long), so the second, w.npy, must keep its old contents.
        Path model = Files.writeString(dir.resolve("long_name.kiln"), String.join("\n",
                "import tensorflow as tf",
                "x = tf.placeholder(tf.float32, shape=(None, 3))",
                LONG + " = tf.Variable(tf.ones((3, 1)))",
                "w = tf.Variable(tf.ones((3, 1)))",
                "loss = tf.reduce_sum(tf.matmul(x, w) * tf.matmul(x, " + LONG + "))",
                "g1, g2 = tf.gradients(loss, [w, " + LONG + "])",
                "new_w = w.assign(w - 0.01 * g1)", ""));
        Path out = Files.createDirectory(dir.resolve("out"));
        Path old = out.resolve("w.npy");
        Npy.write(old, new Tensor(Shape.of(3, 1), new float[] {7f, 8f, 9f}));
        byte[] before = Files.readAllBytes(old);

        Cli r = Cli.run("train", model.toString(), "--steps", "3", "--print-every", "1", "--save", out.toString());

        assertEquals(2, r.status(), r.toString());
        assertEquals("kiln: error: --save " + out + ": " + out.resolve(LONG + ".npy") + ": cannot write: file name too long",
                r.err().stripTrailing());
        assertEquals(3, r.lines().length, "it trained before it failed: " + r);
        assertEquals(List.of("w.npy"), names(out), "no partial or temporary file");
        assertArrayEquals(before, Files.readAllBytes(old), "the old w.npy is untouched");
    }

    @Test
    void aDirectoryWhereAFileMustGoFailsBeforeTraining(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.createDirectories(out.resolve("w2.npy/inside"));
        Path old = out.resolve("w1.npy");
        Npy.write(old, Tensor.zeros(Shape.of(1000, 100)));
        byte[] before = Files.readAllBytes(old);

        Cli r = Cli.run("train", "examples/two_layer.kiln", "--steps", "2", "--print-every", "1", "--save", out.toString());

        assertEquals(2, r.status(), r.toString());
        assertEquals("kiln: error: --save " + out + ": cannot write variable 'w2' to " + out.resolve("w2.npy")
                + ": it is a directory", r.err().stripTrailing());
        assertEquals("", r.out(), "the problem is found before training starts");
        assertEquals(List.of("w1.npy", "w2.npy"), names(out));
        assertArrayEquals(before, Files.readAllBytes(old));
        assertTrue(Files.isDirectory(out.resolve("w2.npy/inside")));
    }

    @Test
    void aSaveThatWorksReplacesTheOldFilesAndLeavesNothingElse(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path old = out.resolve("w1.npy");
        Npy.write(old, Tensor.zeros(Shape.of(3)));
        Cli r = Cli.run("train", "examples/two_layer.kiln", "--steps", "1", "--save", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("w1.npy", "w2.npy"), names(out));
        assertEquals(Shape.of(1000, 100), Npy.read(old).shape());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
