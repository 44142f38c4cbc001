package io.djlint4.checkpoint;

import static io.djlint4.checkpoint.WeightAssertions.assertFormatError;
import static io.djlint4.checkpoint.WeightAssertions.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format detection of the single entry point. */
class CheckpointLoaderTest {

    @TempDir Path dir;

    private static ModelConfig config(Architecture arch) {
        return new ModelConfig(arch, 32, 64, 1, 4, 2, 8, 40, 1e-5, 10000.0, null, 64, true,
                arch == Architecture.QWEN2, arch == Architecture.QWEN3, 1, new int[] {2});
    }

    @Test
    void huggingFaceDirectory() throws IOException {
        Path hf = dir.resolve("hf");
        ModelWeights w = RandomCheckpoints.writeHf(hf, config(Architecture.QWEN3), 1);
        LoadedCheckpoint r = CheckpointLoader.load(hf, LoadOptions.defaults());
        assertSameWeights(w, r.weights());
        assertEquals(hf, r.source());
        // config.json or a safetensors file inside the directory lead to the same checkpoint.
        assertSameWeights(w, CheckpointLoader.load(hf.resolve("config.json")).weights());
        assertSameWeights(w, CheckpointLoader.load(hf.resolve("model.safetensors")).weights());
    }

    @Test
    void ggufByMagicWhateverTheExtension() throws IOException {
        Path f = dir.resolve("weights.data");
        ModelWeights w = RandomCheckpoints.writeGguf(f, config(Architecture.LLAMA), 2);
        LoadedCheckpoint r = CheckpointLoader.load(f);
        assertSameWeights(w, r.weights());
        assertEquals("llama", r.metadata().get("general.architecture"));
    }

    @Test
    void directoryWithOneGgufFile() throws IOException {
        Path f = dir.resolve("model.gguf");
        ModelWeights w = RandomCheckpoints.writeGguf(f, config(Architecture.QWEN2), 3);
        assertSameWeights(w, CheckpointLoader.load(dir).weights());
    }

    @Test
    void llama2cBinFile() throws IOException {
        Path bin = SharedFiles.require("models/stories260K/stories260K.bin");
        LoadedCheckpoint r = CheckpointLoader.load(bin);
        assertEquals(Architecture.LLAMA, r.config().architecture());
        assertEquals(64, r.config().hiddenSize());
        assertEquals(512, r.config().vocabSize());
        assertSame(r.weights().tokenEmbedding(), r.weights().lmHead());
        assertTrue(r.metadata().isEmpty());
    }

    @Test
    void ggufExtensionWithWrongMagic() throws IOException {
        Path f = dir.resolve("broken.gguf");
        Files.write(f, new byte[] {'N', 'O', 'P', 'E', 0, 0, 0, 0});
        assertFormatError(() -> CheckpointLoader.load(f), f.toString(), "magic");
    }

    @Test
    void unrecognizedFile() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello");
        assertFormatError(() -> CheckpointLoader.load(f), f.toString(), "unrecognized", "config.json", "GGUF", ".bin");
    }

    @Test
    void directoryWithoutCheckpoint() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        IOException e = assertFormatError(
                () -> CheckpointLoader.load(empty), empty.toString(), "no checkpoint found: expected config.json");
        assertEquals(e.getMessage().indexOf(empty.toString()), e.getMessage().lastIndexOf(empty.toString()),
                "the directory is named once: " + e.getMessage());
    }

    @Test
    void missingPath() {
        Path nowhere = dir.resolve("nowhere");
        assertFormatError(() -> CheckpointLoader.load(nowhere), nowhere.toString(), "no such file");
    }
}
