package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.io.Npy;
import dev.kiln.ir.Tensor;
import dev.kiln.reference.ReferenceCase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code kiln train}: what it prints, and the canonical case against the references through the command line. */
class TrainCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreter"})
    void printsFiveFallingLosses(String engine) {
        Cli r = Cli.run("train", "examples/two_layer.kiln", "--engine", engine);
        assertEquals(0, r.status(), r.toString());
        String[] lines = r.lines();
        assertEquals(5, lines.length, r.toString());
        float previous = Float.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            String[] parts = lines[i].split(" ");
            assertEquals(2, parts.length, lines[i]);
            assertEquals(Integer.toString(100 * i + 99), parts[0]);
            float loss = Float.parseFloat(parts[1]);
            assertEquals(Float.toString(loss), parts[1], "printed with Float.toString");
            assertTrue(loss < previous, "losses fall: " + r.out());
            previous = loss;
        }
        assertTrue(previous < 1e-2f, r.out());
        assertEquals("", r.err(), "nothing on stderr when it is not a terminal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"compiled", "interpreter"})
    void referenceCaseAgreesWithTorchAndTensorFlow(String engine, @TempDir Path dir) {
        Path ref = ReferenceCase.dir();
        Cli r = Cli.run("train", "examples/two_layer.kiln", "--engine", engine, "--print-every", "1",
                "--feed", "x=" + ref.resolve("x.npy"), "--feed", "y=" + ref.resolve("y.npy"),
                "--init", "w1=" + ref.resolve("w1.npy"), "--init", "w2=" + ref.resolve("w2.npy"),
                "--save", dir.toString());
        assertEquals(0, r.status(), r.toString());
        String[] lines = r.lines();
        assertEquals(500, lines.length);
        float[] losses = new float[500];
        for (int t = 0; t < 500; t++) {
            String[] parts = lines[t].split(" ");
            assertEquals(Integer.toString(t), parts[0]);
            losses[t] = Float.parseFloat(parts[1]);
        }
        for (String who : new String[] {"torch", "tf"}) {
            double l = ReferenceCase.checkLosses(who, losses);
            Tensor w1 = Npy.read(dir.resolve("w1.npy"));
            Tensor w2 = Npy.read(dir.resolve("w2.npy"));
            double a = ReferenceCase.checkWeights(who, "w1", w1);
            double b = ReferenceCase.checkWeights(who, "w2", w2);
            System.out.printf("kiln train --engine %s vs %s: loss at %.3f, w1 at %.3f, w2 at %.3f of the bounds%n",
                    engine, who, l, a, b);
        }
    }

    @Test
    void passesCanBeSwitchedOffWithoutChangingTheResult() {
        Cli all = Cli.run("train", "examples/two_layer.kiln", "--steps", "100");
        Cli none = Cli.run("train", "examples/two_layer.kiln", "--steps", "100", "--disable-pass", "fold-sgd-updates",
                "--disable-pass", "fuse-matmul", "--disable-pass", "fuse-elementwise", "--disable-pass", "canonicalize");
        assertEquals(0, none.status(), none.toString());
        float a = Float.parseFloat(all.out().trim().split(" ")[1]);
        float b = Float.parseFloat(none.out().trim().split(" ")[1]);
        assertEquals(a, b, 1e-3f * a);
    }

    @Test
    void saveWritesEveryVariable(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nested/out");
        Cli r = Cli.run("train", "examples/mlp_bias_tanh.kiln", "--steps", "3", "--save", out.toString());
        assertEquals(0, r.status(), r.toString());
        try (var files = Files.list(out)) {
            assertEquals(6, files.filter(p -> p.toString().endsWith(".npy")).count());
        }
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    /** Adam's slots and powers are variables: saved as DIR/w/Adam.npy..., restored, the run goes on as if never stopped. */
    @Test
    void optimizerStateIsSavedAndRestored(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("adam.kiln");
        Files.writeString(model, String.join("\n", "import tensorflow as tf",
                "x = tf.placeholder(tf.float32, shape=(None, 5))",
                "w = tf.Variable(tf.random_normal((5, 2)))",
                "b = tf.Variable(tf.zeros(2))",
                "loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - 1.0))",
                "train = tf.train.AdamOptimizer(0.1).minimize(loss)", ""));
        Cli straight = Cli.run("train", model.toString(), "--steps", "6", "--print-every", "1");
        Path saved = dir.resolve("saved");
        Cli first = Cli.run("train", model.toString(), "--steps", "3", "--print-every", "1", "--save", saved.toString());
        assertEquals(0, first.status(), first.toString());
        for (String f : new String[] {"w.npy", "b.npy", "w/Adam.npy", "w/Adam_1.npy", "b/Adam.npy", "b/Adam_1.npy",
            "beta1_power.npy", "beta2_power.npy"}) {
            assertTrue(Files.isRegularFile(saved.resolve(f)), f);
        }
        Cli resumed = Cli.run("train", model.toString(), "--steps", "3", "--print-every", "1", "--restore", saved.toString());
        assertEquals(0, resumed.status(), resumed.toString());
        String[] all = straight.lines();
        String[] later = resumed.lines();
        for (int t = 0; t < 3; t++) {
            assertEquals(all[3 + t].split(" ")[1], later[t].split(" ")[1], "step " + (3 + t));
        }
        Path archive = dir.resolve("state.npz");
        assertEquals(0, Cli.run("train", model.toString(), "--steps", "3", "--save", archive.toString()).status());
        Cli fromArchive = Cli.run("train", model.toString(), "--steps", "3", "--print-every", "1", "--restore",
                archive.toString());
        assertEquals(resumed.out(), fromArchive.out(), "one .npz archive holds what the directory does");
    }

    /**
     * Minibatches of the whole data set are the full batch; of half of it, the halves in turn (so two steps
     * cover what one full step does), and shuffled, a repeatable order that the seed chooses.
     */
    @Test
    void minibatchesTakeTheRowsInTurn() {
        String[] data = {"train", "examples/softmax_classifier.kiln", "--feed", "x=examples/data/softmax_x.npy", "--feed",
            "y=examples/data/softmax_y.npy", "--steps", "8", "--print-every", "1"};
        Cli full = Cli.run(with(data, "--batch", "64"));
        Cli whole = Cli.run(with(data, "--minibatch", "64"));
        assertEquals(full.out(), whole.out(), whole.toString());
        Cli halves = Cli.run(with(data, "--minibatch", "32"));
        Cli shuffled = Cli.run(with(data, "--minibatch", "32", "--shuffle"));
        Cli again = Cli.run(with(data, "--minibatch", "32", "--shuffle"));
        Cli otherSeed = Cli.run(with(data, "--minibatch", "32", "--shuffle", "--seed", "7"));
        assertEquals(0, halves.status(), halves.toString());
        assertTrue(!halves.out().equals(full.out()) && !shuffled.out().equals(halves.out()), shuffled.toString());
        assertEquals(shuffled.out(), again.out(), "the same seed, the same order");
        assertTrue(!otherSeed.out().equals(shuffled.out()), "another seed, another order");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void otherExamplesTrain() {
        String[][] cases = {
            {"mlp_bias_tanh"},
            {"softmax_classifier", "--feed", "x=examples/data/softmax_x.npy", "--feed", "y=examples/data/softmax_y.npy"},
            {"logistic_regression", "--feed", "x=examples/data/logistic_x.npy", "--feed", "y=examples/data/logistic_y.npy"},
        };
        for (String[] c : cases) {
            String model = c[0];
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                    "train", "examples/" + model + ".kiln", "--steps", "200", "--print-every", "50"));
            args.addAll(java.util.Arrays.asList(c).subList(1, c.length));
            Cli compiled = Cli.run(args.toArray(new String[0]));
            args.add("--engine");
            args.add("interpreter");
            Cli interpreted = Cli.run(args.toArray(new String[0]));
            assertEquals(0, compiled.status(), compiled.toString());
            String[] a = compiled.lines();
            String[] b = interpreted.lines();
            assertEquals(4, a.length, compiled.toString());
            for (int i = 0; i < 4; i++) {
                float x = Float.parseFloat(a[i].split(" ")[1]);
                float y = Float.parseFloat(b[i].split(" ")[1]);
                assertEquals(y, x, 1e-4f * Math.max(1f, Math.abs(y)), model + " step " + a[i]);
            }
            assertTrue(Float.parseFloat(a[3].split(" ")[1]) < Float.parseFloat(a[0].split(" ")[1]), model + " learns");
        }
    }
}
