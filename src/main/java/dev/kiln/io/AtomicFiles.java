package dev.kiln.io;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.SourcePos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a set of files so that each is replaced whole or not at all: every file's bytes first go to a
 * temporary file beside it ({@link #stage}), and only when all are written are they moved over their
 * targets ({@link #commit}), atomically where the file system can. Closing deletes every temporary file
 * not yet moved, so a failure leaves no partial or temporary file behind:
 *
 * <pre>
 * try (AtomicFiles files = new AtomicFiles()) {
 *     files.stage(a, bytesOfA);
 *     files.stage(b, bytesOfB);
 *     files.commit();
 * }
 * </pre>
 *
 * A failure while staging (the disk full, a directory missing) leaves every target as it was. A failure
 * while moving (a target that is a directory, a name too long for the file system) leaves the targets
 * moved before it replaced and the others as they were.
 */
final class AtomicFiles implements AutoCloseable {
    /** How much of the target's name a temporary file's name keeps: well under any file system's limit. */
    private static final int NAME_KEPT = 50;

    /** A temporary file written and not yet moved; {@code shown} is the target as the caller named it. */
    private record Staged(Path tmp, Path target, Path shown) {}

    private final List<Staged> staged = new ArrayList<>();

    /**
     * Writes {@code bytes} to a new temporary file in {@code file}'s directory, which must exist.
     *
     * @throws KilnException starting with {@code file} if it cannot
     */
    void stage(Path file, byte[] bytes) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw fail(file, "cannot write: not a file name", null);
        }
        Path shownDir = file.getParent() != null ? file.getParent() : dir;
        if (!Files.isDirectory(dir)) {
            throw fail(file, Files.exists(dir)
                    ? "cannot write: " + shownDir + " is not a directory"
                    : "cannot write: directory " + shownDir + " does not exist", null);
        }
        String name = target.getFileName().toString();
        name = name.substring(0, Math.min(name.length(), NAME_KEPT));
        try {
            FileChannel ch = null;
            for (int attempt = 0; ch == null; attempt++) {
                Path candidate = dir.resolve("." + name + "."
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    staged.add(new Staged(candidate, target, file));
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 16) {
                        throw e;
                    }
                }
            }
            try (FileChannel out = ch) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(true);
            }
        } catch (IOException e) {
            throw fail(file, "cannot write: " + describe(e), e);
        }
    }

    /** Moves every staged file over its target, in the order staged. */
    void commit() {
        while (!staged.isEmpty()) {
            Staged s = staged.get(0);
            try {
                try {
                    Files.move(s.tmp(), s.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(s.tmp(), s.target(), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw fail(s.shown(), "cannot write: " + (Files.isDirectory(s.target()) ? "it is a directory"
                        : describe(e)), e);
            }
            staged.remove(0);
        }
    }

    /** Deletes every temporary file not moved. */
    @Override
    public void close() {
        for (Staged s : staged) {
            try {
                Files.deleteIfExists(s.tmp());
            } catch (IOException ignored) {
                // Nothing more can be done; the error that brought us here is the one to report.
            }
        }
        staged.clear();
    }

    static KilnException fail(Path file, String message, Throwable cause) {
        return new KilnException(new SourcePos(file.toString(), 0, 0), message, cause);
    }

    /** A short reason for an I/O failure, without the path (the message already starts with it). */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            String reason = fse.getReason();
            return reason.isEmpty() ? e.getClass().getSimpleName()
                    : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
