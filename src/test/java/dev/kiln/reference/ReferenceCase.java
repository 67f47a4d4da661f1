package dev.kiln.reference;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.dsl.Tf;
import dev.kiln.io.Npy;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The canonical two-layer case and its reference results (copied from the shared reference into
 * {@code src/test/resources/reference/seed-2layer}), with the rule for "same computation" that the
 * reference README states.
 */
public final class ReferenceCase {
    public static final int STEPS = 500;

    private ReferenceCase() {}

    /** The reference README's program, line by line, with the Java DSL. */
    public static Graph canonical() {
        int dIn = 1000;
        int h = 100;
        int dOut = 10;
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Tf.shape(Tf.NONE, dIn));
        Node y = tf.placeholder("y", Tf.shape(Tf.NONE, dOut));
        Node w1 = tf.variable("w1", tf.randomNormal(Tf.shape(dIn, h)));
        Node w2 = tf.variable("w2", tf.randomNormal(Tf.shape(h, dOut)));
        Node hidden = tf.matmul(x, w1);
        Node hRelu = tf.maximum(hidden, tf.zeros(Tf.shape(1)));
        Node yPred = tf.matmul(hRelu, w2);
        Node loss = tf.name("loss", tf.reduceSum(tf.pow(tf.sub(y, yPred), 2f)));
        List<Node> grads = tf.gradients(loss, w1, w2);
        float learningRate = 1e-6f;
        tf.assign(w1, tf.sub(w1, tf.mul(learningRate, grads.get(0))));
        tf.assign(w2, tf.sub(w2, tf.mul(learningRate, grads.get(1))));
        return tf.build();
    }

    public static Path dir() {
        try {
            return Path.of(ReferenceCase.class.getResource("/reference/seed-2layer/x.npy").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static Tensor npy(String name) {
        return Npy.read(file(name));
    }

    /** The 500 losses of a reference trajectory: {@code torch}, {@code tf} or {@code numpy}. */
    public static float[] losses(String who) {
        try {
            List<String> lines = Files.readAllLines(file(who + "_loss.txt"));
            float[] l = new float[lines.size()];
            for (String line : lines) {
                String[] parts = line.trim().split("\\s+");
                l[Integer.parseInt(parts[0])] = Float.parseFloat(parts[1]);
            }
            return l;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a loss trajectory against a reference:
     * {@code |L(t) - Lref(t)| <= 2e-5 Lref(t) + 1e-5 sqrt(Lref(t) Lref(0))} at every step. Returns the
     * largest fraction of the bound used.
     */
    public static double checkLosses(String who, float[] got) {
        float[] ref = losses(who);
        if (got.length != ref.length) {
            fail("expected " + ref.length + " losses, got " + got.length);
        }
        double worst = 0;
        for (int t = 0; t < ref.length; t++) {
            double bound = 2e-5 * ref[t] + 1e-5 * Math.sqrt((double) ref[t] * ref[0]);
            double err = Math.abs((double) got[t] - ref[t]);
            if (!(err <= bound)) {
                fail("step " + t + ": loss " + got[t] + " vs " + who + " " + ref[t] + ": off by " + err
                        + ", bound " + bound);
            }
            worst = Math.max(worst, err / bound);
        }
        return worst;
    }

    /**
     * Checks final weights against a reference: Frobenius and max-abs differences within 1e-3 of the
     * reference's. Returns the largest fraction of either bound used.
     */
    public static double checkWeights(String who, String var, Tensor got) {
        Tensor ref = npy(who + "_" + var + "_final.npy");
        if (!ref.shape().equals(got.shape())) {
            fail(var + ": shape " + got.shape() + " vs " + ref.shape());
        }
        double diff2 = 0;
        double ref2 = 0;
        double maxDiff = 0;
        double maxRef = 0;
        float[] a = got.data();
        float[] r = ref.data();
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - r[i];
            diff2 += d * d;
            ref2 += (double) r[i] * r[i];
            maxDiff = Math.max(maxDiff, Math.abs(d));
            maxRef = Math.max(maxRef, Math.abs(r[i]));
        }
        double fro = Math.sqrt(diff2) / (1e-3 * Math.sqrt(ref2));
        double max = maxDiff / (1e-3 * maxRef);
        if (!(fro <= 1) || !(max <= 1)) {
            fail(var + " vs " + who + ": Frobenius at " + fro + " of its bound, max-abs at " + max + " of its bound");
        }
        return Math.max(fro, max);
    }
}
