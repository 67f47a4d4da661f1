package dev.kiln.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.testing.GradCheck;
import dev.kiln.testing.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradients on scalars, dimensions of 1 and reductions over axes of size 1, against finite differences:
 * the differential tests compare the compiled engine with the interpreter, so the interpreter's gradients
 * must be right on these shapes too.
 */
class OddShapeGradientsTest {
    static Map<String, Tensor> values(Object... nameAndTensor) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndTensor.length; i += 2) {
            m.put((String) nameAndTensor[i], (Tensor) nameAndTensor[i + 1]);
        }
        return m;
    }

    @Test
    void scalarVariablesInScalarArithmetic() {
        List<Tensor> g = GradCheck.weighted(1, values("w", Tensors.random(1), "x", Tensors.random(2), "b", Tensors.random(3)),
                (tf, v) -> tf.add(tf.mul(tf.tanh(v.get(0)), v.get(1)), tf.square(v.get(2))));
        assertEquals(Shape.SCALAR, g.get(0).shape());
    }

    @Test
    void scalarVariablesBroadcastAgainstTensors() {
        List<Tensor> g = GradCheck.weighted(4, values("w", Tensors.random(4), "v", Tensors.random(5, 3, 4),
                "d", Tensors.positive(6)),
                (tf, v) -> tf.div(tf.sub(tf.mul(v.get(0), v.get(1)), v.get(0)), v.get(2)));
        assertEquals(Shape.SCALAR, g.get(0).shape());
        assertEquals(Shape.SCALAR, g.get(2).shape());
    }

    @Test
    void reductionsTransposesAndReshapesOfScalars() {
        GradCheck.unary(7, Tensors.random(7), (tf, x) -> tf.mul(tf.reduceSum(x), tf.reduceMean(x, null, true)));
        GradCheck.unary(8, Tensors.random(8), (tf, x) -> tf.mul(tf.transpose(x), tf.reduceSum(x, new int[0], false)));
        GradCheck.binary(9, Tensors.random(9), Tensors.random(10, 1, 3),
                (tf, x, y) -> tf.matmul(tf.reshape(x, 1, 1), y));
        GradCheck.unary(11, Tensors.random(11, 1, 1), (tf, x) -> tf.mul(tf.reshape(x), tf.constant(3f)));
    }

    @ParameterizedTest(name = "m={0} k={1} n={2} ta={3} tb={4}")
    @CsvSource({"1,1,1,false,false", "1,1,1,true,true", "1,5,1,false,false", "1,5,1,true,false", "1,5,1,false,true",
        "5,1,4,false,false", "5,1,4,true,true", "1,7,3,false,true", "3,7,1,true,false"})
    void productsWithDimensionsOfOne(int m, int k, int n, boolean ta, boolean tb) {
        Tensor a = ta ? Tensors.random(20, k, m) : Tensors.random(20, m, k);
        Tensor b = tb ? Tensors.random(21, n, k) : Tensors.random(21, k, n);
        GradCheck.binary(22, a, b, (tf, x, y) -> tf.matmul(x, y, ta, tb));
    }

    @ParameterizedTest(name = "{0} over {1} of [{2}], keepdims={3}")
    @CsvSource(delimiter = ';', value = {
        "sum; 1; 3,1; false", "sum; 1; 3,1; true", "mean; 0; 1,4; false", "mean; 0; 1,4; true",
        "sum; 1; 2,1,3; false", "mean; 1; 2,1,3; true", "sum; -2; 2,1,3; true", "mean; 0,1; 1,1,1; false",
        "sum; all; 1,1,1; true", "mean; none; 3,1; false", "sum; 0; 1; false", "mean; 0; 1; true"})
    void reductionsOverAxesOfSizeOne(String kind, String axesText, String dimsText, boolean keep) {
        int[] dims = ints(dimsText);
        int[] axes = axesText.equals("all") ? null : axesText.equals("none") ? new int[0] : ints(axesText);
        Tensor g = GradCheck.unary(30 + dims.length, Tensors.random(31, dims), (tf, x) -> {
            Node r = kind.equals("sum") ? tf.reduceSum(x, axes, keep) : tf.reduceMean(x, axes, keep);
            return tf.mul(r, r); // a square, so the gradient depends on the value and not only on the shape
        });
        assertEquals(Shape.of(dims), g.shape());
    }

    private static int[] ints(String text) {
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }
}
