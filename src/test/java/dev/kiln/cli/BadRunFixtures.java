package dev.kiln.cli;

import dev.kiln.io.Npy;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The files the bad-run corpus ({@code runs/bad_runs.txt}) refers to as {@code $T/NAME}: good and bad
 * {@code .npy} files for the model {@code runs/linear.kiln} (x [?,3], y [?,1], w [3,1], b []), a model
 * whose variable's name is not a plain file name, a model of one vector placeholder (whose data cannot
 * be allocated for a batch of 2^31-1), and files and directories in the way of an output.
 * Written by the test rather than checked in, so that what each is stays readable here.
 */
final class BadRunFixtures {
    private BadRunFixtures() {}

    static void write(Path dir) throws IOException {
        Npy.write(dir.resolve("x.npy"), floats(4, 3));
        Npy.write(dir.resolve("y.npy"), floats(4, 1));
        Npy.write(dir.resolve("w.npy"), floats(3, 1));
        Npy.write(dir.resolve("x_rank1.npy"), floats(12));
        Npy.write(dir.resolve("x_4x4.npy"), floats(4, 4));
        Npy.write(dir.resolve("y_5rows.npy"), floats(5, 1));
        Npy.write(dir.resolve("w_transposed.npy"), floats(1, 3));
        raw(dir, "x_f64.npy", 1, header("<f8", false, "(4, 3)"), new byte[96]);
        raw(dir, "w_f64.npy", 1, header("<f8", false, "(3, 1)"), new byte[24]);
        raw(dir, "x_i32.npy", 1, header("<i4", false, "(4, 3)"), new byte[48]);
        raw(dir, "x_big_endian.npy", 1, header(">f4", false, "(4, 3)"), new byte[48]);
        raw(dir, "x_fortran.npy", 1, header("<f4", true, "(4, 3)"), new byte[48]);
        raw(dir, "x_zero_rows.npy", 1, header("<f4", false, "(0, 3)"), new byte[0]);
        raw(dir, "x_version9.npy", 9, header("<f4", false, "(4, 3)"), new byte[48]);
        raw(dir, "x_not_a_dict.npy", 1, "['<f4', False, (4, 3)]\n", new byte[48]);
        byte[] good = Files.readAllBytes(dir.resolve("x.npy"));
        Files.write(dir.resolve("x_truncated.npy"), Arrays.copyOf(good, good.length - 5));
        Files.write(dir.resolve("x_cut_in_header.npy"), Arrays.copyOf(good, 40));
        Files.write(dir.resolve("x_trailing.npy"), Arrays.copyOf(good, good.length + 4));
        Files.write(dir.resolve("x_empty.npy"), new byte[0]);
        Files.writeString(dir.resolve("x_csv.npy"), "1,2,3\n4,5,6\n");
        Files.write(dir.resolve("x.npz"), new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        Files.writeString(dir.resolve("classes.kiln"), String.join("\n",
                "import tensorflow as tf",
                "x = tf.placeholder(tf.float32, shape=(None, 3))",
                "labels = tf.placeholder(tf.int64, shape=(None,))",
                "w = tf.Variable(tf.zeros((3, 4)))",
                "loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x @ w))", ""));
        Npy.write(dir.resolve("labels_f32.npy"), floats(4));
        ByteBuffer big = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(20_000_000).putLong(0)
                .putLong(2);
        raw(dir, "labels_big.npy", 1, header("<i8", false, "(4,)"), big.array());
        Files.writeString(dir.resolve("scoped_name.kiln"), String.join("\n",
                "import tensorflow as tf",
                "x = tf.placeholder(tf.float32, shape=(None, 3))",
                "w = tf.Variable(tf.zeros((3, 1)), name='../w')",
                "loss = tf.reduce_sum(tf.matmul(x, w))", ""));
        Files.writeString(dir.resolve("vector.kiln"), String.join("\n",
                "import tensorflow as tf",
                "x = tf.placeholder(tf.float32, shape=(None,))",
                "loss = tf.reduce_sum(x)", ""));
        Files.write(dir.resolve("not_utf8.kiln"), new byte[] {'x', ' ', '=', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        Files.createDirectories(dir.resolve("a_directory.npy"));
        Files.writeString(dir.resolve("plain_file"), "not a directory\n");
        Files.createDirectories(dir.resolve("blocked/w.npy"));
    }

    private static Tensor floats(int... dims) {
        Shape s = Shape.of(dims);
        float[] data = new float[s.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = 0.25f * (i % 7) - 0.5f;
        }
        return new Tensor(s, data);
    }

    private static String header(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
    }

    /** A {@code .npy} file with the given version, header text (unpadded) and data bytes. */
    private static void raw(Path dir, String name, int major, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}).putShort((short) h.length);
        Files.write(dir.resolve(name), b.put(h).put(data).array());
    }
}
