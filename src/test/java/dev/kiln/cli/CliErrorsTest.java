package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input of every kind exits 2 with {@code kiln: error: } and one line naming the place; never a stack trace. */
class CliErrorsTest {
    static Stream<Path> malformedScripts() throws IOException {
        return Files.list(Path.of("src/test/resources/dsl/errors")).filter(p -> p.toString().endsWith(".kiln")).sorted();
    }

    @ParameterizedTest
    @MethodSource("malformedScripts")
    void everyMalformedScriptExitsTwoWithItsPositionedMessage(Path script) throws IOException {
        String expected = Files.readString(Path.of(script.toString().replace(".kiln", ".expected"))).strip();
        Cli r = Cli.run("train", script.toString(), "--steps", "1");
        assertEquals(2, r.status(), r.toString());
        String[] err = r.err().split("\n");
        assertEquals("kiln: error: " + expected, err[0]);
        assertTrue(err.length == 3 && err[2].trim().equals("^"), "then the line and a caret:\n" + r.err());
        assertEquals("", r.out());
    }

    static void assertBadInput(Cli r, String... fragments) {
        assertEquals(2, r.status(), r.toString());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "one line:\n" + r.err());
        assertTrue(lines[0].startsWith("kiln: error: "), r.err());
        for (String f : fragments) {
            assertTrue(lines[0].contains(f), "'" + f + "' in: " + lines[0]);
        }
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals("", r.out());
    }

    @Test
    void badFlagsAndFiles(@TempDir Path dir) throws IOException {
        assertBadInput(Cli.run("train", "no/such/model.kiln"), "model.kiln");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--steps", "many"), "--steps", "many");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--bogus"), "--bogus");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--feed", "z=x.npy"), "--feed z", "placeholder", "x, y");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--init", "w9=x.npy"), "--init w9", "w1, w2");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--loss", "nope"), "'nope'");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--loss", "h"), "--loss h", "[64,100]");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--engine", "gpu"), "gpu");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--feed", "x=" + dir.resolve("missing.npy")), "missing.npy");
        Path w = dir.resolve("w1.npy");
        dev.kiln.io.Npy.write(w, new dev.kiln.ir.Tensor(dev.kiln.ir.Shape.of(3, 3), new float[9]));
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--init", "w1=" + w), "w1.npy", "[1000,100]", "[3,3]");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--feed", "x=" + w), "w1.npy", "[?,1000]", "[3,3]");
        Path truncated = dir.resolve("t.npy");
        byte[] good = Files.readAllBytes(w);
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 4));
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--init", "w1=" + truncated), "t.npy", "truncated");
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--steps", "1", "--save", file.resolve("sub").toString()),
                "--save");
        assertBadInput(Cli.run("run", "examples/two_layer.kiln"), "--fetch");
        assertBadInput(Cli.run("train", "examples/two_layer.kiln", "--disable-pass", "nope"), "nope", "fuse-matmul");
        assertBadInput(Cli.run("ir", "examples/two_layer.kiln", "--optimized", "--disable-pass", "nope"), "nope", "canonicalize");
    }

    @Test
    void internalErrorsExitOne() {
        Cli r = Cli.run("train", "examples/two_layer.kiln", "--steps", "1", "--batch", "-3");
        assertEquals(2, r.status(), r.toString()); // a negative batch is bad input, not a crash
        assertTrue(r.err().startsWith("kiln: error: "), r.err());
    }

    @Test
    void debugShowsTheStackTrace() {
        Cli r = Cli.run("train", "no/such/model.kiln", "--debug");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void okCommandsPrintWhatTheySay(@TempDir Path dir) throws IOException {
        Cli ir = Cli.run("ir", "examples/two_layer.kiln");
        assertEquals(0, ir.status(), ir.toString());
        assertTrue(ir.out().contains("= matmul %0, %3"), ir.out());
        Cli opt = Cli.run("ir", "examples/two_layer.kiln", "--optimized");
        assertEquals(0, opt.status(), opt.toString());
        List<String> lines = List.of(opt.out().split("\n"));
        assertEquals(1, lines.stream().filter(l -> l.contains("= matmul_relu ")).count(), opt.out());
        assertEquals(2, lines.stream().filter(l -> l.contains("= sgd_update ")).count(), opt.out());
        assertTrue(lines.stream().noneMatch(l -> l.contains("= relu ") || l.contains("= maximum ")), opt.out());
        assertTrue(lines.stream().noneMatch(l -> l.contains("f32[1000,100] = matmul") || l.contains("f32[100,10] = matmul")),
                "grad_w1 and grad_w2 are never materialized:\n" + opt.out());
        Cli run = Cli.run("run", "examples/two_layer.kiln", "--fetch", "loss");
        assertEquals(0, run.status(), run.toString());
        Float.parseFloat(run.out().trim());
        Path npy = dir.resolve("pred.npy");
        Cli save = Cli.run("run", "examples/two_layer.kiln", "--fetch", "y_pred", "--out", npy.toString(), "--batch", "3");
        assertEquals(0, save.status(), save.toString());
        assertEquals(dev.kiln.ir.Shape.of(3, 10), dev.kiln.io.Npy.read(npy).shape());
        Cli compile = Cli.run("compile", "examples/two_layer.kiln", "--out", dir.resolve("dump").toString());
        assertEquals(0, compile.status(), compile.toString());
        assertTrue(Files.exists(dir.resolve("dump/Kiln_two_layer.class")));
        assertTrue(Files.exists(dir.resolve("dump/Kiln_two_layer.txt")));
        assertTrue(Files.exists(dir.resolve("dump/optimized.dot")));
        assertTrue(Files.exists(dir.resolve("dump/00-input.ir")));
    }
}
