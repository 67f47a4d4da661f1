package dev.kiln.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract the interpreter relies on, beyond what the differential cases show. */
class NumpyApiTest {
    private final NumpyState state = new NumpyState(0, Path.of("."));

    private NdArray call(String name, Object... args) {
        return (NdArray) Functions.call(name, List.of(args), Map.of(), state);
    }

    @Test
    void fetchedTensorsBecomeArraysAndScalarsAsSessRunReturnsThem() {
        NdArray loss = NdArray.fromFloat32(new float[] {1597.0376f}, new int[0], NpType.FLOAT32);
        assertTrue(loss.isScalar());
        assertEquals("1597.0376", loss.str());
        assertEquals("np.float32(1597.0376)", loss.repr());
        NdArray labels = NdArray.fromFloat32(new float[] {1, 0, 3}, new int[] {3}, NpType.INT64);
        assertEquals("[1 0 3]", labels.str());
        assertEquals(3L, labels.longAt(2));
        assertArrayEquals(new float[] {1, 0, 3}, labels.toFloat32());
    }

    @Test
    void feedsConvertAsAstypeFloat32() {
        NdArray x = call("array", List.of(0.1, 1e40, -2.0));
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, -2f}, x.toFloat32());
    }

    @Test
    void everyChangeInPlaceBumpsTheVersion() {
        NdArray a = call("arange", 6L);
        int v = a.version();
        a.setItem(0L, 5L);
        Arith.inPlace("+", a, 1L);
        Functions.call("random.shuffle", List.of(a), Map.of(), state);
        a.callMethod("sort", List.of(), Map.of());
        a.callMethod("fill", List.of(2L), Map.of());
        assertEquals(v + 5, a.version());
        call("arange", 3L).getItem(new Slice(null, null, -1L));
        assertEquals("[2 2 2 2 2 2]", a.str());
    }

    @Test
    void attributesAreWhatPythonSees() {
        NdArray a = (NdArray) call("zeros", List.of(2L, 3L)).callMethod("astype", List.of(NpType.INT32), Map.of());
        assertEquals(List.of(2L, 3L), a.attribute("shape"));
        assertEquals(NpType.INT32, a.attribute("dtype"));
        assertEquals(6L, a.attribute("size"));
        assertEquals(2L, a.attribute("ndim"));
        assertEquals(List.of(3L, 2L), ((NdArray) a.attribute("T")).attribute("shape"));
        NumpyException e = assertThrows(NumpyException.class, () -> a.attribute("frob"));
        assertEquals("'numpy.ndarray' object has no attribute 'frob'", e.getMessage());
    }

    @Test
    void itemGivesPythonValues() {
        assertEquals(3L, call("array", List.of(3L)).item());
        assertEquals(2.5, call("array", List.of(2.5)).item());
        assertEquals(true, call("array", List.of(true)).item());
        assertEquals(0.10000000149011612, call("float32", 0.1).item());
    }

    @Test
    void aTupleIndexIsAList() {
        NdArray a = (NdArray) call("arange", 12L).callMethod("reshape", List.of(3L, 4L), Map.of());
        assertEquals("np.int64(6)", ((NdArray) a.getItem(List.of(1L, 2L))).repr());
        assertEquals("[0 4 8]", ((NdArray) a.getItem(List.of(Slice.ALL, 0L))).str());
        assertEquals("[[ 8  9 10 11]\n [ 0  1  2  3]]", ((NdArray) a.getItem(call("array", List.of(2L, 0L)))).str());
    }

    @Test
    void typesAreNamedAsPythonNamesThem() {
        assertEquals(NpType.FLOAT64, NpType.byName("float"));
        assertEquals(NpType.INT64, NpType.byName("int"));
        assertEquals(NpType.BOOL, NpType.byName("bool"));
        assertNull(NpType.byName("complex64"));
        assertEquals("float32", NpType.FLOAT32.numpyName());
    }

    @Test
    void unknownKeywordsNameTheArgument() {
        NumpyException e = assertThrows(NumpyException.class,
                () -> Functions.call("zeros", List.of(3L), Map.of("shp", 1L), state));
        assertEquals("shp", e.argument());
        assertEquals("TypeError", e.pythonType());
    }

    @Test
    void arraysTooBigForJavaAreRefusedBeforeAllocating() {
        NumpyException e = assertThrows(NumpyException.class, () -> call("ones", List.of(100000L, 100000L)));
        assertTrue(e.getMessage().startsWith("array is too big;"), e.getMessage());
        assertThrows(NumpyException.class, () -> call("zeros", List.of(-1L)));
    }

    @Test
    void functionNamesForHints() {
        assertTrue(Functions.exists("random.randn"));
        assertTrue(Functions.exists("zeros"));
        assertFalse(Functions.exists("random.frob"));
        assertTrue(Functions.names().contains("linalg.norm") || !Functions.exists("linalg.norm"));
    }

    @Test
    void aSeededProgramDrawsNumPysNumbers() {
        Functions.call("random.seed", List.of(42L), Map.of(), state);
        NdArray r = (NdArray) Functions.call("random.randn", List.of(2L), Map.of(), state);
        assertEquals("[ 0.49671415 -0.1382643 ]", r.str());
    }
}
