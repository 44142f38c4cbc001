package io.djlint4.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds models fetched by the project's scripts (e.g. {@code scripts/fetch-smollm2.sh}) into the
 * model cache outside the repository: the {@code INT4_MODEL_CACHE} environment variable, else
 * {@code ~/.cache/djl-int4}, the same place the scripts write to. Tests whose model is absent are
 * skipped with a message naming the file and the script that fetches it.
 */
public final class ModelCache {

    /** Environment variable naming the cache directory. */
    public static final String ENV = "INT4_MODEL_CACHE";

    /** Where {@code scripts/fetch-smollm2.sh} puts SmolLM2-135M-Instruct. */
    public static final String SMOLLM2 = "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf";

    private ModelCache() {}

    /**
     * Returns the cache directory (which may not exist).
     *
     * @return the directory
     */
    public static Path root() {
        String cache = System.getenv(ENV);
        return cache != null && !cache.isBlank()
                ? Paths.get(cache)
                : Paths.get(System.getProperty("user.home"), ".cache", "djl-int4");
    }

    /**
     * Returns SmolLM2-135M-Instruct's GGUF file, skipping the calling test when it is absent.
     *
     * @return the file
     */
    public static Path smolLm2() {
        Path file = root().resolve(SMOLLM2);
        Assumptions.assumeTrue(
                Files.isRegularFile(file), () -> file + " is absent (run scripts/fetch-smollm2.sh)");
        return file;
    }
}
