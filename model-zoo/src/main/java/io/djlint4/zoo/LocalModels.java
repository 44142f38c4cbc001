package io.djlint4.zoo;

import ai.djl.repository.zoo.ModelNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The local directory the zoo serves models from, and the artifacts in it. The directory is the
 * system property {@value #PROPERTY}, else the environment variable {@value #ENV}, else the model
 * cache {@code ~/.cache/djl-int4}. Each sub-directory (not hidden) is an artifact named after it;
 * each {@code .gguf} or llama2.c {@code .bin} file directly inside (tokenizers {@code tok*.bin}
 * excepted) is an artifact named after the file without its extension.
 */
public final class LocalModels {

    /** System property naming the model directory. */
    public static final String PROPERTY = "int4.models";

    /** Environment variable naming the model directory. */
    public static final String ENV = "INT4_MODELS";

    private LocalModels() {}

    /**
     * Returns the model directory, read anew on every call so a changed property takes effect.
     *
     * @return the directory (which may not exist)
     */
    public static Path root() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Paths.get(property);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "djl-int4");
    }

    /**
     * Lists the artifacts in a directory.
     *
     * @param root the model directory
     * @return artifact name to model path, sorted by name; empty when the directory does not exist
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public static Map<String, Path> artifacts(Path root) {
        Map<String, Path> found = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    return;
                }
                if (Files.isDirectory(p)) {
                    found.put(name, p);
                } else if (isCheckpointFile(name)) {
                    found.putIfAbsent(name.substring(0, name.lastIndexOf('.')), p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the model directory " + root, e);
        }
        return found;
    }

    /**
     * Finds one artifact.
     *
     * @param root the model directory
     * @param artifactId the artifact name
     * @return the model path
     * @throws ModelNotFoundException naming the directory searched and the artifacts it holds
     */
    public static Path locate(Path root, String artifactId) throws ModelNotFoundException {
        Map<String, Path> all = artifacts(root);
        Path path = all.get(artifactId);
        if (path == null) {
            throw new ModelNotFoundException("no model '" + artifactId + "' in " + root.toAbsolutePath()
                    + (Files.isDirectory(root) ? " (it holds " + all.keySet() + ")" : " (no such directory)")
                    + "; set -D" + PROPERTY + " or " + ENV + " to the directory holding your models");
        }
        return path;
    }

    private static boolean isCheckpointFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".gguf") || (n.endsWith(".bin") && !n.startsWith("tok"));
    }
}
