package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the shared models and data: system property {@code int4.shared}, else environment
 * variable {@code INT4_SHARED}, else {@code ../shared} beside the repository root. Tests whose file
 * is absent are skipped, naming the file.
 */
final class SharedTestFiles {

    private SharedTestFiles() {}

    static Path root() {
        String configured = System.getProperty("int4.shared");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("INT4_SHARED");
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        Path dir = Paths.get("").toAbsolutePath();
        Path repositoryRoot = dir;
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml"))) {
                repositoryRoot = p;
            }
        }
        Path parent = repositoryRoot.getParent();
        return parent == null ? repositoryRoot.resolve("shared") : parent.resolve("shared");
    }

    /** Returns a shared file, skipping the test when it is absent. */
    static Path require(String relative) {
        Path file = root().resolve(relative);
        assumeTrue(Files.exists(file), "shared file missing: " + file);
        return file;
    }

    static String readString(String relative) throws IOException {
        return Files.readString(require(relative), StandardCharsets.UTF_8);
    }

    static JsonObject readJson(String relative) throws IOException {
        try (Reader reader = Files.newBufferedReader(require(relative), StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        }
    }
}
