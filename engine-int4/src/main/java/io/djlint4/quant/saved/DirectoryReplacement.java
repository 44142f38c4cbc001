package io.djlint4.quant.saved;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Publishes a directory built beside its destination: readers see either the old directory or the
 * complete new one, never a half-written one. Each step is a rename within the parent directory.
 */
final class DirectoryReplacement {

    private DirectoryReplacement() {}

    /**
     * Checks that a destination may receive a new directory.
     *
     * @param target the destination
     * @param overwrite whether a non-empty directory may be replaced
     * @throws IOException if the target is a file, or a non-empty directory and overwriting is off
     */
    static void checkTarget(Path target, boolean overwrite) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        if (!overwrite && !isEmpty(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(), null, "is not empty; choose a new directory or allow overwriting");
        }
    }

    /**
     * Creates a working directory beside a destination.
     *
     * @param target the destination
     * @return a new hidden directory in the same parent
     * @throws IOException if it cannot be created
     */
    static Path createBeside(Path target) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "." + target.getFileName() + ".");
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
        Path old = built.resolveSibling(built.getFileName() + ".old");
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
