package dev.kiln.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    private static final String PLAIN = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------------
    // Round trips

    /** NumPy's own int64 labels: read as integers held in floats, written back byte for byte as NumPy wrote them. */
    @Test
    void integerArraysNumPyWroteRoundTrip(@TempDir Path dir) throws IOException {
        Path labels = Path.of("examples/data/digits/y_test.npy");
        Tensor y = Npy.read(labels, DType.INT64);
        assertEquals(Shape.of(360), y.shape());
        assertArrayEquals(new float[] {7, 6, 3, 7, 7, 3, 2, 8}, Arrays.copyOf(y.data(), 8));
        Path again = dir.resolve("y.npy");
        Npy.write(again, y, DType.INT64);
        assertArrayEquals(Files.readAllBytes(labels), Files.readAllBytes(again));
        assertEquals(y, Npy.read(again, DType.INT32), "any integer array reads as either integer type");
        Path flags = dir.resolve("flags.npy");
        Npy.write(flags, new Tensor(Shape.of(3), new float[] {1, 0, 1}), DType.BOOL);
        assertArrayEquals(new float[] {1, 0, 1}, Npy.read(flags, DType.BOOL).data());
        KilnException e = assertThrows(KilnException.class, () -> Npy.read(labels));
        assertTrue(e.getMessage().contains("expected float32 ('<f4'), got '<i8'"), e.getMessage());
    }

    @Test
    void roundTripScalar() {
        roundTrip(Tensor.scalar(-2.5f));
    }

    @Test
    void roundTrip1d() {
        roundTrip(new Tensor(Shape.of(7), new float[] {0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE}));
    }

    @Test
    void roundTrip2d() {
        roundTrip(new Tensor(Shape.of(3, 4), sequence(12)));
    }

    @Test
    void roundTrip3d() {
        roundTrip(new Tensor(Shape.of(2, 3, 4), sequence(24)));
    }

    @Test
    void roundTripWithOneSizedDimensions() {
        roundTrip(new Tensor(Shape.of(1, 1, 5, 1), sequence(5)));
    }

    @Test
    void roundTripKeepsNaNBits() throws IOException {
        float payloadNaN = Float.intBitsToFloat(0x7fc01234);
        Path p = dir.resolve("nan.npy");
        Npy.write(p, new Tensor(Shape.of(1), new float[] {payloadNaN}));
        assertEquals(0x7fc01234, Float.floatToRawIntBits(Npy.read(p).data()[0]));
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path p = dir.resolve("w.npy");
        Files.writeString(p, "old contents that are longer than nothing");
        Tensor t = new Tensor(Shape.of(2), new float[] {1f, 2f});
        Npy.write(p, t);
        assertEquals(t, Npy.read(p));
        assertEquals(List.of("w.npy"), listDir(dir));
    }

    @Test
    void writeToARelativePath() {
        Path p = dir.resolve("rel.npy");
        Path relative = Path.of("").toAbsolutePath().relativize(p);
        Tensor t = Tensor.scalar(3f);
        Npy.write(relative, t);
        assertEquals(t, Npy.read(p));
    }

    // ---------------------------------------------------------------------------------------------
    // Written header format

    @Test
    void writeStartsWithMagicAndVersion1AndPadsTheHeaderTo64Bytes() throws IOException {
        for (Shape shape : List.of(Shape.SCALAR, Shape.of(5), Shape.of(64, 1000), Shape.of(2, 3, 4),
                Shape.of(1, 2, 3, 4, 5, 6, 7, 8))) {
            Path p = dir.resolve("h.npy");
            Npy.write(p, Tensor.zeros(shape));
            byte[] b = Files.readAllBytes(p);
            assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(b, 8));
            int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertEquals(0, (10 + hlen) % 64, "header of " + shape + " not aligned: " + hlen);
            assertEquals('\n', b[10 + hlen - 1]);
            assertEquals(10 + hlen + 4L * shape.size(), b.length);
            String header = new String(b, 10, hlen, StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': "
                    + pyTuple(shape) + ", }"), header);
            assertTrue(header.substring(header.indexOf('}') + 1, hlen - 1).isBlank(), header);
        }
    }

    @Test
    void writeFormatsShapesAsPythonTuples() throws IOException {
        assertEquals("()", headerShape(Shape.SCALAR));
        assertEquals("(5,)", headerShape(Shape.of(5)));
        assertEquals("(64, 1000)", headerShape(Shape.of(64, 1000)));
        assertEquals("(2, 3, 4)", headerShape(Shape.of(2, 3, 4)));
    }

    @Test
    void writeIsByteIdenticalToNumPy() throws IOException {
        // The reference files were written by np.save; reading and writing them again must reproduce
        // them exactly, header padding included.
        for (String name : List.of("x.npy", "y.npy", "w1.npy", "w2.npy")) {
            Path original = reference(name);
            Path copy = dir.resolve(name);
            Npy.write(copy, Npy.read(original));
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy), name);
        }
    }

    @Test
    void writeFallsBackToVersion2WhenTheHeaderIsTooLongForVersion1() throws IOException {
        int[] dims = new int[23000];
        Arrays.fill(dims, 1);
        Tensor t = new Tensor(Shape.of(dims), new float[] {42f});
        Path p = dir.resolve("deep.npy");
        Npy.write(p, t);
        byte[] b = Files.readAllBytes(p);
        assertEquals(2, b[6]);
        assertEquals(0, b[7]);
        int hlen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertTrue(hlen > 0xffff);
        assertEquals(0, (12 + hlen) % 64);
        assertEquals(t, Npy.read(p));
    }

    // ---------------------------------------------------------------------------------------------
    // Reference files

    @Test
    void readsReferenceFiles() throws IOException {
        Tensor x = Npy.read(reference("x.npy"));
        assertEquals(Shape.of(64, 1000), x.shape());
        assertEquals(-1.2845077514648438f, x.data()[0]);
        assertEquals(-1.197528600692749f, x.data()[x.size() - 1]);
        assertEquals(1061295840, Float.floatToRawIntBits(x.data()[1 * 1000 + 2]));
        assertEquals(242.1545697557267, sum(x), 1e-6);

        Tensor y = Npy.read(reference("y.npy"), Shape.of(64, 10));
        assertEquals(-0.6940143704414368f, y.data()[0]);
        assertEquals(0.7366017699241638f, y.data()[y.size() - 1]);
        assertEquals(1056203636, Float.floatToRawIntBits(y.data()[1 * 10 + 2]));
        assertEquals(-2.4739141749450937, sum(y), 1e-6);

        Tensor w1 = Npy.read(reference("w1.npy"), Shape.of(1000, 100));
        assertEquals(0.46660420298576355f, w1.data()[0]);
        assertEquals(-0.332661509513855f, w1.data()[w1.size() - 1]);
        assertEquals(1065993731, Float.floatToRawIntBits(w1.data()[1 * 100 + 2]));
        assertEquals(743.4041502373584, sum(w1), 1e-6);

        Tensor w2 = Npy.read(reference("w2.npy"), Shape.of(100, 10));
        assertEquals(0.12193405628204346f, w2.data()[0]);
        assertEquals(0.7631173729896545f, w2.data()[w2.size() - 1]);
        assertEquals(3202680384L, Integer.toUnsignedLong(Float.floatToRawIntBits(w2.data()[1 * 10 + 2])));
        assertEquals(16.57971082883887, sum(w2), 1e-6);
    }

    @Test
    void expectedShapeMismatchNamesFileExpectedAndActual() throws IOException {
        Path x = reference("x.npy");
        KilnException e = assertThrows(KilnException.class, () -> Npy.read(x, Shape.of(64, 999)));
        assertEquals(x + ": expected shape [64,999], got [64,1000]", e.getMessage());

        KilnException transposed = assertThrows(KilnException.class, () -> Npy.read(x, Shape.of(1000, 64)));
        assertEquals(x + ": expected shape [1000,64], got [64,1000]", transposed.getMessage());

        // Same element count but a different rank is still a mismatch.
        Path p = write("flat.npy", npy(1, header("(6,)"), floats(sequence(6))));
        KilnException rank = assertThrows(KilnException.class, () -> Npy.read(p, Shape.of(2, 3)));
        assertEquals(p + ": expected shape [2,3], got [6]", rank.getMessage());

        // An unknown dimension is not a wildcard.
        assertThrows(KilnException.class, () -> Npy.read(x, Shape.of(Shape.UNKNOWN, 1000)));
    }

    @Test
    void expectedShapeMatchReturnsTheTensor() throws IOException {
        Path p = write("s.npy", npy(1, header("()"), floats(7f)));
        assertEquals(Tensor.scalar(7f), Npy.read(p, Shape.SCALAR));
    }

    // ---------------------------------------------------------------------------------------------
    // Header variants

    @Test
    void readsVersion2Header() throws IOException {
        Path p = write("v2.npy", npy(2, PLAIN + "   \n", floats(sequence(6))));
        assertEquals(new Tensor(Shape.of(2, 3), sequence(6)), Npy.read(p));
    }

    @Test
    void readsVersion3Header() throws IOException {
        Path p = write("v3.npy", npy(3, PLAIN + "\n", floats(sequence(6))));
        assertEquals(new Tensor(Shape.of(2, 3), sequence(6)), Npy.read(p));
    }

    @Test
    void version3HeaderIsUtf8AndVersion1HeaderIsLatin1() throws IOException {
        String descrE = "{'descr': 'é', 'fortran_order': False, 'shape': (1,), }\n";
        Path v3 = write("v3.npy", npy(3, descrE, floats(1f)));
        assertMessage(v3, "expected float32 ('<f4'), got 'é'");
        byte[] utf8 = descrE.getBytes(StandardCharsets.UTF_8);
        Path v1 = write("v1.npy", npy(1, utf8, floats(1f)));
        assertMessage(v1, "expected float32 ('<f4'), got 'Ã©'");
        Path v2 = write("v2.npy", npy(2, utf8, floats(1f)));
        assertMessage(v2, "expected float32 ('<f4'), got 'Ã©'");
    }

    @Test
    void version3HeaderMustBeValidUtf8() throws IOException {
        byte[] bad = (PLAIN + "\n").getBytes(StandardCharsets.US_ASCII);
        bad[bad.length - 1] = (byte) 0xff;
        Path p = write("bad.npy", npy(3, bad, floats(sequence(6))));
        assertMessage(p, "malformed", "UTF-8");
    }

    @Test
    void readsHeaderWithKeysInAnyOrderAndVaryingWhitespace() throws IOException {
        Tensor expected = new Tensor(Shape.of(2, 3), sequence(6));
        for (String h : List.of(
                "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
                "{'fortran_order':False,'shape':(2,3),'descr':'<f4'}",
                "  {  \"descr\" : \"<f4\" ,\n 'fortran_order' :\tFalse , 'shape' : ( 2 , 3 , ) , }  \n",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(40) + "\n",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }\n")) {
            Path p = write("h.npy", npy(1, h, floats(sequence(6))));
            assertEquals(expected, Npy.read(p), h);
        }
    }

    @Test
    void readsScalarAnd1dShapes() throws IOException {
        assertEquals(Tensor.scalar(9f), Npy.read(write("s.npy", npy(1, header("()"), floats(9f)))));
        assertEquals(new Tensor(Shape.of(5), sequence(5)),
                Npy.read(write("v.npy", npy(1, header("(5,)"), floats(sequence(5))))));
    }

    // ---------------------------------------------------------------------------------------------
    // Errors

    @Test
    void missingFile() {
        Path p = dir.resolve("x.npy");
        assertEquals(p + ": cannot read: no such file", readError(p).getMessage());
    }

    @Test
    void directoryInsteadOfFile() throws IOException {
        Path p = Files.createDirectory(dir.resolve("x.npy"));
        assertMessage(p, "cannot read", "directory");
    }

    @Test
    void badMagic() throws IOException {
        assertEquals(write("x.npy", "hello, this is not numpy".getBytes(StandardCharsets.US_ASCII)) + ": not a .npy file (bad magic)",
                readError(dir.resolve("x.npy")).getMessage());
        assertMessage(write("empty.npy", new byte[0]), "not a .npy file (bad magic)");
        assertMessage(write("short.npy", new byte[] {(byte) 0x93, 'N', 'U'}), "not a .npy file (bad magic)");
        assertMessage(write("z.npy", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}), "not a .npy file (bad magic)",
                ".npz");
    }

    @Test
    void unsupportedVersion() throws IOException {
        assertMessage(write("v4.npy", npy(4, PLAIN, floats(sequence(6)))), "unsupported", "version 4.0");
        byte[] v11 = npy(1, PLAIN, floats(sequence(6)));
        v11[7] = 1;
        assertMessage(write("v11.npy", v11), "unsupported", "version 1.1");
    }

    @Test
    void wrongDtype() throws IOException {
        Path p = write("x.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                new byte[16]));
        assertTrue(readError(p).getMessage().startsWith(p + ": expected float32 ('<f4'), got '<f8'"));
        assertMessage(write("be.npy", npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
                new byte[8])), "expected float32 ('<f4'), got '>f4'");
        assertMessage(write("i.npy", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (8,), }",
                new byte[8])), "expected float32 ('<f4'), got '|u1'");
        assertMessage(write("st.npy", npy(1,
                "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[8])),
                "expected float32 ('<f4'), got [('a', '<f4'), ('b', '<f4')]");
    }

    @Test
    void fortranOrder() throws IOException {
        Path p = write("w.npy", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                floats(sequence(6))));
        assertEquals(p + ": Fortran-order arrays are not supported; save with np.ascontiguousarray",
                readError(p).getMessage());
    }

    @Test
    void truncatedData() throws IOException {
        Path p = write("x.npy", npy(1, header("(64, 1000)"), new byte[1000]));
        assertEquals(p + ": truncated: header says 64000 floats (256000 bytes), file has 1000 bytes of data",
                readError(p).getMessage());
        Path none = write("none.npy", npy(1, header("(3,)"), new byte[0]));
        assertMessage(none, "truncated", "12 bytes", "0 bytes of data");
    }

    @Test
    void truncatedHeaderAndPreamble() throws IOException {
        byte[] full = npy(1, PLAIN, floats(sequence(6)));
        assertMessage(write("h.npy", Arrays.copyOf(full, 30)), "truncated", "header");
        assertMessage(write("p1.npy", Arrays.copyOf(full, 9)), "truncated", "preamble");
        assertMessage(write("p0.npy", Arrays.copyOf(full, 6)), "truncated", "preamble");
        byte[] v2 = npy(2, PLAIN, floats(sequence(6)));
        assertMessage(write("p2.npy", Arrays.copyOf(v2, 11)), "truncated", "preamble");
        // A v2 header length near 4 GB must not be taken as a negative int.
        byte[] huge = Arrays.copyOf(v2, v2.length);
        huge[8] = huge[9] = huge[10] = huge[11] = (byte) 0xff;
        assertMessage(write("huge.npy", huge), "truncated", "4294967295");
    }

    @Test
    void trailingData() throws IOException {
        Path p = write("x.npy", npy(1, header("(2, 3)"), floats(sequence(7))));
        assertMessage(p, "has 4 bytes after the data", "6 floats");
    }

    @Test
    void zeroDimension() throws IOException {
        Path p = write("z.npy", npy(1, header("(0, 5)"), new byte[0]));
        assertMessage(p, "(0, 5)", "0 dimension", ">= 1");
        assertMessage(write("z1.npy", npy(1, header("(0,)"), new byte[0])), "(0,)", ">= 1");
    }

    @Test
    void badShapes() throws IOException {
        assertMessage(write("neg.npy", npy(1, header("(-2, 3)"), floats(sequence(6)))), "negative dimension -2");
        assertMessage(write("list.npy", npy(1, header("[2, 3]"), floats(sequence(6)))),
                "'shape' must be a tuple of integers", "[2, 3]");
        assertMessage(write("paren.npy", npy(1, header("(6)"), floats(sequence(6)))),
                "'shape' must be a tuple of integers", "(6)");
        assertMessage(write("str.npy", npy(1, header("('a', 3)"), floats(sequence(6)))),
                "'shape' must be a tuple of integers");
        assertMessage(write("float.npy", npy(1, header("(2.0, 3)"), floats(sequence(6)))),
                "malformed", "only integers");
        assertMessage(write("big.npy", npy(1, header("(99999999999999999999999,)"), new byte[4])),
                "more than 2147483647 elements");
        assertMessage(write("many.npy", npy(1, header("(100000, 100000)"), new byte[4])),
                "more than 2147483647 elements");
        // Python 2 long suffixes exist only in version 1.0 and 2.0 files.
        assertMessage(write("long3.npy", npy(3, header("(2L, 3L)"), floats(sequence(6)))), "malformed");
    }

    @Test
    void malformedHeaders() throws IOException {
        String[][] cases = {
            {"{'descr': '<f4', 'shape': (2, 3), }", "missing key 'fortran_order'"},
            {"{'descr': '<f4', 'fortran_order': False, }", "missing key 'shape'"},
            {"{'fortran_order': False, 'shape': (2, 3)}", "missing key 'descr'"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", "unexpected key 'x'"},
            {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", "duplicate key 'descr'"},
            {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", "'fortran_order' must be True or False"},
            {"{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}", "unexpected name 'false'"},
            {"{'descr': '<f4 , 'fortran_order': False, 'shape': (2, 3)}", "malformed"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", "malformed"},
            {"{'descr': '<f4', 'fortran_order': False 'shape': (2, 3)}", "expected ','"},
            {"{'descr' '<f4', 'fortran_order': False, 'shape': (2, 3)}", "expected ':'"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} junk", "unexpected text after the dict"},
            {"{1: '<f4'}", "dict keys must be strings"},
            {"('descr', '<f4')", "must be a Python dict"},
            {"", "must be a Python dict"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(5000) + ")".repeat(5000) + "}",
                "nested too deeply"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path p = write("m" + i++ + ".npy", npy(1, c[0], floats(sequence(6))));
            assertMessage(p, c[1]);
        }
    }

    @Test
    void errorsAreOneLineEvenForHeadersWithNewlines() throws IOException {
        Path p = write("nl.npy", npy(1, "{'descr':\n'<f4',\n'fortran_order':\nFalse,\n'shape':\n(2,\n3)\n\n", floats(sequence(6))));
        KilnException e = readError(p);
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------
    // Write failures

    @Test
    void writeIntoMissingDirectoryFailsWithoutLeavingFiles() throws IOException {
        Path p = dir.resolve("out").resolve("w1.npy");
        KilnException e = assertThrows(KilnException.class, () -> Npy.write(p, Tensor.scalar(1f)));
        assertOneLineStartingWith(p, e);
        assertTrue(e.getMessage().startsWith(p + ": cannot write: "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(List.of(), listDir(dir));
    }

    @Test
    void writeUnderAFileFailsWithoutLeavingFiles() throws IOException {
        Files.writeString(dir.resolve("out"), "a file, not a directory");
        Path p = dir.resolve("out").resolve("w1.npy");
        KilnException e = assertThrows(KilnException.class, () -> Npy.write(p, Tensor.scalar(1f)));
        assertOneLineStartingWith(p, e);
        assertTrue(e.getMessage().startsWith(p + ": cannot write: "), e.getMessage());
        assertEquals(List.of("out"), listDir(dir));
        assertEquals("a file, not a directory", Files.readString(dir.resolve("out")));
    }

    @Test
    void writeOverADirectoryFailsAndDeletesTheTemporaryFile() throws IOException {
        // The temporary file is written and only the final move fails: it must be cleaned up.
        Path target = Files.createDirectory(dir.resolve("w1.npy"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        KilnException e = assertThrows(KilnException.class,
                () -> Npy.write(target, new Tensor(Shape.of(100), sequence(100))));
        assertOneLineStartingWith(target, e);
        assertTrue(e.getMessage().startsWith(target + ": cannot write: "), e.getMessage());
        assertEquals(List.of("w1.npy"), listDir(dir));
        assertEquals(List.of("keep.txt"), listDir(target));
    }

    @Test
    void writeAllTouchesNoFileWhenOneCannotBeWritten() throws IOException {
        // b's directory is missing: a is staged first, but must not replace the good a.npy.
        Path a = dir.resolve("a.npy");
        Npy.write(a, new Tensor(Shape.of(2), new float[] {1f, 2f}));
        byte[] before = Files.readAllBytes(a);
        Path b = dir.resolve("missing").resolve("b.npy");
        Map<Path, Tensor> files = new LinkedHashMap<>();
        files.put(a, new Tensor(Shape.of(3), sequence(3)));
        files.put(b, Tensor.scalar(1f));
        KilnException e = assertThrows(KilnException.class, () -> Npy.writeAll(files));
        assertOneLineStartingWith(b, e);
        assertArrayEquals(before, Files.readAllBytes(a));
        assertEquals(List.of("a.npy"), listDir(dir), "no temporary file left");
    }

    @Test
    void writeAllFailingToMoveOneLeavesTheOnesBeforeItWholeAndNoTemporaryFile() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = Files.createDirectories(dir.resolve("b.npy").resolve("inside"));
        Path c = dir.resolve("c.npy");
        Map<Path, Tensor> files = new LinkedHashMap<>();
        files.put(a, new Tensor(Shape.of(3), sequence(3)));
        files.put(b.getParent(), Tensor.scalar(1f));
        files.put(c, Tensor.scalar(2f));
        KilnException e = assertThrows(KilnException.class, () -> Npy.writeAll(files));
        assertEquals(b.getParent() + ": cannot write: it is a directory", e.getMessage());
        assertEquals(new Tensor(Shape.of(3), sequence(3)), Npy.read(a));
        assertEquals(List.of("a.npy", "b.npy"), listDir(dir), "c.npy not written, no temporary file left");
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private void roundTrip(Tensor t) {
        Path p = dir.resolve("t.npy");
        Npy.write(p, t);
        Tensor back = Npy.read(p);
        assertEquals(t.shape(), back.shape());
        assertArrayEquals(t.data(), back.data()); // bitwise for NaN and -0.0
        assertEquals(t, Npy.read(p, t.shape()));
        try {
            assertEquals(List.of("t.npy"), listDir(dir), "temporary file left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String headerShape(Shape shape) throws IOException {
        Path p = dir.resolve("hs.npy");
        Npy.write(p, Tensor.zeros(shape));
        byte[] b = Files.readAllBytes(p);
        String header = new String(b, 10, (b[8] & 0xff) | (b[9] & 0xff) << 8, StandardCharsets.ISO_8859_1);
        String key = "'shape': ";
        int start = header.indexOf(key) + key.length();
        return header.substring(start, header.indexOf(')', start) + 1);
    }

    private static String pyTuple(Shape s) {
        int[] d = s.dims();
        String inner = Arrays.stream(d).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return "(" + inner + (d.length == 1 ? ",)" : ")");
    }

    private static String header(String shape) {
        return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }\n";
    }

    private static byte[] npy(int major, String header, byte[] data) {
        return npy(major, header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), data);
    }

    /** A .npy file with the given raw header bytes (no padding added) and data. */
    private static byte[] npy(int major, byte[] header, byte[] data) {
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        return b.put(header).put(data).array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static float[] sequence(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * 0.5f - 3f;
        }
        return a;
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (float f : t.data()) {
            s += f;
        }
        return s;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static Path reference(String name) {
        URL url = NpyTest.class.getResource("/reference/seed-2layer/" + name);
        assertNotNull(url, "missing test resource " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> listDir(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static KilnException readError(Path p) {
        Executable read = () -> Npy.read(p);
        KilnException e = assertThrows(KilnException.class, read, "reading " + p + " should fail");
        assertOneLineStartingWith(p, e);
        return e;
    }

    private static void assertOneLineStartingWith(Path p, KilnException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith(p + ": "), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
    }

    private static void assertMessage(Path p, String... parts) {
        String m = readError(p).getMessage();
        for (String part : parts) {
            assertTrue(m.contains(part), "message for " + p.getFileName() + " lacks \"" + part + "\": " + m);
        }
    }
}
