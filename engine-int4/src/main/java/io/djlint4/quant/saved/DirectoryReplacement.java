package io.djlint4.quant.saved;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Publishes a directory built beside its destination: readers see either the old directory or the
 * complete new one, never a half-written one. Each step is a rename within the parent directory.
 */
final class DirectoryReplacement {

    /** The name suffix of a replaced directory until the new one is in place. */
    private static final String OLD_SUFFIX = ".old";

    private DirectoryReplacement() {}

    /**
     * Checks that a destination may receive a new directory.
     *
     * @param target the destination
     * @param overwrite whether a non-empty directory may be replaced
     * @throws FileAlreadyExistsException if the target is a non-empty directory and overwriting is off
     * @throws IOException if the target is a file or a file system root
     */
    static void checkTarget(Path target, boolean overwrite) throws IOException {
        if (target.toAbsolutePath().normalize().getParent() == null) {
            throw new FileSystemException(target.toString(), null, "is a file system root, which cannot be replaced");
        }
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "exists and is not a directory; only a directory"
                    + " is replaced");
        }
        if (!overwrite && !isEmpty(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(), null, "is not empty; choose a new directory or allow overwriting");
        }
    }

    /**
     * Checks that replacing a destination cannot delete or overwrite an input: the destination
     * must not be an input, hold one, or lie inside one. Symbolic links are followed.
     *
     * @param target the destination
     * @param inputs files and directories read while writing
     * @throws FileSystemException naming the destination and the input it overlaps
     * @throws IOException if a path cannot be resolved
     */
    static void requireApart(Path target, Collection<Path> inputs) throws IOException {
        Path t = realPathOfExistingPart(target);
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                continue;
            }
            Path in = input.toRealPath();
            String reason = t.equals(in) ? "is the input " : in.startsWith(t) ? "holds the input "
                    : t.startsWith(in) ? "lies inside the input " : null;
            if (reason != null) {
                throw new FileSystemException(target.toString(), input.toString(), reason + input
                        + ", which replacing it would delete; choose another directory");
            }
        }
    }

    /** Resolves links in the part of a path that exists, so that a path yet to be made compares too. */
    private static Path realPathOfExistingPart(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
    }

    /**
     * Creates a working directory beside a destination, named after it and this process so that a
     * later write can tell an abandoned one (its process is gone) from one still being written,
     * and first removes the abandoned ones of earlier, interrupted writes.
     *
     * @param target the destination
     * @return a new hidden directory in the same parent
     * @throws IOException if it cannot be created
     */
    static Path createBeside(Path target) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        sweepAbandoned(target);
        return Files.createTempDirectory(parent, workPrefix(target) + ProcessHandle.current().pid() + ".");
    }

    /**
     * Removes the working directories an interrupted write left beside a destination: those of
     * processes that no longer run. A replaced directory that an interrupted publish left aside
     * (its {@code .old} name) is moved back when the destination is missing.
     *
     * @param target the destination
     * @throws IOException if the parent cannot be listed
     */
    static void sweepAbandoned(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        Pattern ours = Pattern.compile(Pattern.quote(workPrefix(abs)) + "(\\d+)\\.\\d+(\\.old)?");
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = ours.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !isRunning(m.group(1))) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            try {
                if (p.getFileName().toString().endsWith(OLD_SUFFIX) && !Files.exists(abs)) {
                    move(p, abs);
                } else {
                    deleteRecursively(p);
                }
            } catch (IOException e) {
                // Another process may be sweeping the same directory; what is left goes next time.
            }
        }
    }

    /**
     * Deletes a working directory if the JVM shuts down (SIGTERM, Ctrl-C) before it is published.
     *
     * @param work the working directory
     * @return the hook, for {@link #cancelCleanup}
     */
    static Thread cleanupOnShutdown(Path work) {
        Thread hook = new Thread(() -> {
            try {
                deleteRecursively(work);
            } catch (IOException e) {
                // Best effort while the JVM exits; the next write sweeps what is left.
            }
        }, "delete " + work.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Removes a hook of {@link #cleanupOnShutdown} once the working directory is gone.
     *
     * @param hook the hook
     */
    static void cancelCleanup(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and runs the hook already.
        }
    }

    private static String workPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    private static boolean isRunning(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Gives a finished directory and its files the usual permissions (rwxr-xr-x, rw-r--r--), in
     * place of the owner-only ones of temporary files, where the file system has POSIX
     * permissions.
     *
     * @param dir the directory
     * @throws IOException if permissions cannot be set
     */
    static void makeReadable(Path dir) throws IOException {
        if (!Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /**
     * Moves a finished directory to its destination, replacing what is there.
     *
     * @param built the finished directory, beside the target
     * @param target the destination
     * @throws IOException if a move fails; the target then holds what it held before
     */
    static void publish(Path built, Path target) throws IOException {
        if (!Files.exists(target)) {
            move(built, target);
            return;
        }
        Path old = built.resolveSibling(built.getFileName() + OLD_SUFFIX);
        move(target, old);
        try {
            move(built, target);
        } catch (IOException e) {
            move(old, target);
            throw e;
        }
        deleteRecursively(old);
    }

    /**
     * Deletes a directory tree, if it exists.
     *
     * @param dir the directory
     * @throws IOException if something cannot be deleted
     */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
