package dev.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java tour is code that compiles and trains: its first Java block is compiled and run
 * here, and the losses it prints must fall as the canonical program's do.
 */
class ReadmeTourTest {
    @Test
    void theTourCompilesAndItsLossFalls(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int tour = readme.indexOf("## A five-minute tour of the Java API");
        assertTrue(tour >= 0, "the README has its tour");
        int start = readme.indexOf("```java\n", tour) + "```java\n".length();
        String code = readme.substring(start, readme.indexOf("```", start));
        Path source = dir.resolve("TwoLayer.java");
        Files.writeString(source, code);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertEquals(0, status, "the README's tour does not compile:\n" + errors.toString(StandardCharsets.UTF_8));

        String out = runMain(dir);
        List<Float> losses = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && f[0].matches("\\d+")) {
                losses.add(Float.parseFloat(f[1]));
            }
        }
        assertEquals(5, losses.size(), out);
        assertTrue(losses.get(4) < losses.get(0) * 1e-4, "the loss falls: " + losses);
        assertTrue(out.contains("w1[0] = "), out);
    }

    private static String runMain(Path classes) throws IOException, ReflectiveOperationException {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeTourTest.class.getClassLoader())) {
            Method main = loader.loadClass("TwoLayer").getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
