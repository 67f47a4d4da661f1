package dev.kiln.cli;

import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Tensor;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a repeatable {@code --flag NAME=FILE.npy} ({@code --feed}, {@code --init}), checked
 * here rather than by picocli so that every complaint names the flag and the value as given.
 */
final class NamedFiles {
    private final String flag;
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final Map<String, String> given = new LinkedHashMap<>();

    private NamedFiles(String flag) {
        this.flag = flag;
    }

    /** Parses {@code values}, each {@code NAME=FILE}; a name given twice, or a half missing, is an error. */
    static NamedFiles parse(String flag, List<String> values) {
        NamedFiles out = new NamedFiles(flag);
        for (String v : values) {
            int eq = v.indexOf('=');
            String name = eq < 0 ? v : v.substring(0, eq).strip();
            String file = eq < 0 ? "" : v.substring(eq + 1);
            if (eq < 0 || name.isEmpty() || file.isEmpty()) {
                String missing = eq < 0 ? "no '='" : name.isEmpty() ? "the name is missing" : "the file is missing";
                throw new KilnException(flag + " " + v + ": expected NAME=FILE.npy (" + missing + ")");
            }
            if (out.files.containsKey(name)) {
                throw new KilnException(flag + " " + v + ": '" + name + "' is already given (" + flag + " "
                        + out.given.get(name) + ")");
            }
            try {
                out.files.put(name, Path.of(file));
            } catch (InvalidPathException e) {
                throw new KilnException(flag + " " + v + ": not a valid file name (" + e.getReason() + ")");
            }
            out.given.put(name, v);
        }
        return out;
    }

    /** The names, in the order given. */
    Iterable<String> names() {
        return files.keySet();
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** How the flag was given for {@code name}, e.g. {@code --feed x=data/x.npy}, to start a message. */
    String shown(String name) {
        return flag + " " + given.get(name);
    }

    /** Reads the file given for {@code name}; its problems are reported as {@code --flag NAME=FILE: problem}. */
    Tensor read(String name) {
        return read(name, DType.FLOAT32);
    }

    /** Reads the file given for {@code name} as {@code dtype} ({@link Npy#read(java.nio.file.Path, DType)}). */
    Tensor read(String name, DType dtype) {
        try {
            return Npy.read(files.get(name), dtype);
        } catch (KilnException e) {
            throw new KilnException(null, shown(name) + ": " + e.detail(), e);
        }
    }
}
