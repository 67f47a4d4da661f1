package dev.kiln.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Tf;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For 40 seeded random pairs of broadcast-compatible shapes (rank up to 3, any dimension possibly 1, ranks possibly
 * different): the broadcast shape is what NumPy gives, and the gradients of add, sub, mul and div sum back
 * to each operand's shape and match finite differences.
 */
class RandomBroadcastTest {

    /** Two shapes that broadcast together. */
    record Case(int[] a, int[] b) {}

    static Case randomCase(long seed) {
        Random r = new Random(seed);
        int rank = r.nextInt(4);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = 1 + r.nextInt(3);
        }
        return new Case(operand(r, out), operand(r, out));
    }

    private static int[] operand(Random r, int[] out) {
        int rank = r.nextInt(out.length + 1);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            int o = out[out.length - rank + i];
            d[i] = r.nextInt(3) == 0 ? 1 : o;
        }
        return d;
    }

    /** NumPy's rule, written out independently of {@link Broadcast}. */
    static int[] numpyShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }

    static LongStream seeds() {
        return LongStream.range(0, 40).map(i -> 1000 + 7919 * i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void binaryGradientsSumBackToTheOperandShapes(long seed) {
        Case c = randomCase(seed);
        Tf tf = new Tf();
        Node x = tf.placeholder("x", Shape.of(c.a()));
        Node y = tf.placeholder("y", Shape.of(c.b()));
        assertEquals(Shape.of(numpyShape(c.a(), c.b())), tf.add(x, y).shape());

        int which = (int) (seed % 4);
        Tensor xv = Tensors.random(seed + 1, c.a());
        Tensor yv = which == 3 ? Tensors.positive(seed + 2, c.b()) : Tensors.random(seed + 2, c.b());
        GradCheck.binary(seed, xv, yv, (t, a, b) -> switch (which) {
            case 0 -> t.add(a, b);
            case 1 -> t.sub(a, b);
            case 2 -> t.mul(a, b);
            default -> t.div(a, b);
        });
    }
}
