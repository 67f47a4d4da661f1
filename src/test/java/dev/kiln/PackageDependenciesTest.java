package dev.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of {@code docs/architecture.md} is the rule: every package of {@code src/main} is in
 * it, and uses (by import or by qualified name, outside comments) only the Kiln packages its last column
 * lists. The Spark integration's sources ({@code spark/src/main}, built with {@code -Pspark}) count as
 * {@code src/main}: its package has its row too.
 */
class PackageDependenciesTest {
    private static final Pattern ROW = Pattern.compile("^\\| `dev\\.kiln\\.(\\w+)` \\|.*\\| ([^|]*) \\|$");
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java/dev/kiln"), Path.of("spark/src/main/java/dev/kiln"));
    private static final Pattern USE = Pattern.compile("\\bdev\\.kiln\\.([a-z]+)\\.[A-Za-z]");

    @Test
    void everyPackageUsesOnlyThePackagesTheArchitectureDocAllows() throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/architecture.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Set<String> deps = new TreeSet<>();
                for (String d : m.group(2).split(",")) {
                    String name = d.replace("`", "").trim();
                    if (!name.isEmpty() && !name.equals("—")) {
                        deps.add(name);
                    }
                }
                allowed.put(m.group(1), deps);
            }
        }
        Set<String> packages = new TreeSet<>();
        for (Path root : ROOTS) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
            }
        }
        assertEquals(packages, allowed.keySet(), "the packages of src/main and the rows of the architecture table");
        List<String> problems = new ArrayList<>();
        for (Path root : ROOTS) {
            problems.addAll(problems(root, allowed));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Each file under {@code root} that uses a Kiln package its own may not. */
    private static List<String> problems(Path root, Map<String, Set<String>> allowed) throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f).getName(0).toString();
                String code = withoutComments(Files.readString(f));
                Matcher m = USE.matcher(code);
                Set<String> used = new TreeSet<>();
                while (m.find()) {
                    used.add(m.group(1));
                }
                used.remove(pkg);
                used.removeAll(allowed.get(pkg));
                if (!used.isEmpty()) {
                    problems.add(root.relativize(f) + " uses " + used + ", which " + pkg + " may not");
                }
            }
        }
        return problems;
    }

    /** The source without its comments (javadoc may name any class). */
    private static String withoutComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }
}
