package io.djlint4.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.zoo.ModelNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelsTest {

    @TempDir
    Path root;

    @Test
    void directoriesAndCheckpointFilesBecomeArtifacts() throws Exception {
        Files.createDirectory(root.resolve("qwen3"));
        Files.createDirectory(root.resolve(".hidden"));
        Files.writeString(root.resolve("smollm2.gguf"), "");
        Files.writeString(root.resolve("stories15M.bin"), "");
        Files.writeString(root.resolve("tok512.bin"), "");
        Files.writeString(root.resolve("notes.txt"), "");
        Map<String, Path> artifacts = LocalModels.artifacts(root);
        assertEquals(List.of("qwen3", "smollm2", "stories15M"), List.copyOf(artifacts.keySet()));
        assertEquals(root.resolve("smollm2.gguf"), artifacts.get("smollm2"));
    }

    @Test
    void aMissingDirectoryHasNoArtifacts() {
        assertTrue(LocalModels.artifacts(root.resolve("absent")).isEmpty());
    }

    @Test
    void aMissingModelNamesTheDirectoryAndWhatItHolds() throws Exception {
        Files.createDirectory(root.resolve("qwen3"));
        ModelNotFoundException e =
                assertThrows(ModelNotFoundException.class, () -> LocalModels.locate(root, "llama"));
        assertTrue(e.getMessage().contains(root.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("[qwen3]"), e.getMessage());
        ModelNotFoundException absent = assertThrows(ModelNotFoundException.class,
                () -> LocalModels.locate(root.resolve("absent"), "llama"));
        assertTrue(absent.getMessage().contains("no such directory"), absent.getMessage());
    }

    @Test
    void thePropertyChoosesTheDirectory() {
        String previous = System.getProperty(LocalModels.PROPERTY);
        try {
            System.setProperty(LocalModels.PROPERTY, root.toString());
            assertEquals(root, LocalModels.root());
        } finally {
            if (previous == null) {
                System.clearProperty(LocalModels.PROPERTY);
            } else {
                System.setProperty(LocalModels.PROPERTY, previous);
            }
        }
    }
}
