package io.djlint4.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the project's shared models and data: the {@code int4.shared} system property, else the
 * {@code INT4_SHARED} environment variable, else {@code ../shared} beside the repository root.
 * Tests whose files are absent are skipped with a message naming the missing file.
 */
public final class SharedFiles {

    /** System property naming the shared directory. */
    public static final String PROPERTY = "int4.shared";

    /** Environment variable naming the shared directory. */
    public static final String ENV = "INT4_SHARED";

    private SharedFiles() {}

    /**
     * Returns the shared directory (which may not exist).
     *
     * @return the directory
     */
    public static Path root() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        if (p != null && !p.isBlank()) {
            return Paths.get(p).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolveSibling("shared");
    }

    /**
     * Returns a shared file, skipping the calling test when it is absent.
     *
     * @param relative the path inside the shared directory, e.g. {@code models/stories260K/stories260K.bin}
     * @return the file
     */
    public static Path require(String relative) {
        Path file = root().resolve(relative);
        Assumptions.assumeTrue(
                Files.exists(file),
                () -> "shared file " + file + " is absent (set -D" + PROPERTY + " or " + ENV + ")");
        return file;
    }

    private static Path repositoryRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve(".git")) || Files.isRegularFile(d.resolve(".git"))) {
                return d;
            }
        }
        return dir;
    }
}
