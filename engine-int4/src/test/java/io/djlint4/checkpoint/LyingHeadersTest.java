package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Headers that lie about what a file holds: counts that would size a huge allocation are checked
 * against the tensors first (a {@link CheckpointFormatException}, never an {@link
 * OutOfMemoryError}), and a header that describes less than the file holds is refused.
 */
class LyingHeadersTest {

    private static final ModelConfig TWO_LAYERS = new ModelConfig(
            Architecture.LLAMA, 64, 128, 2, 2, 2, 32, 97, 1e-5, 1e4, null, 64, false, false, false, 1, new int[] {2});

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(longs = {1_000_000_000L, Integer.MAX_VALUE, 3})
    void hfLayerCountBeyondTheTensors(long layers) throws IOException {
        Path dir = hfWithConfig(c -> c.addProperty("num_hidden_layers", layers));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(dir));
        assertEquals("num_hidden_layers", e.getCulprit(), e::getMessage);
        assertTrue(e.getMessage().contains("has no model.layers." + (layers - 1) + ".input_layernorm.weight"),
                e::getMessage);
    }

    @Test
    void hfLayerCountBelowTheTensors() throws IOException {
        Path dir = hfWithConfig(c -> c.addProperty("num_hidden_layers", 1));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(dir));
        assertTrue(e.getCulprit().startsWith("model.layers.1."), e::getMessage);
        assertTrue(e.getMessage().contains("are not used by config.json"), e::getMessage);
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000_000_000L, Integer.MAX_VALUE, 3, 1})
    void ggufBlockCountOtherThanTheTensors(long blocks) throws IOException {
        GgufWriter g = RandomCheckpoints.ggufWriter(RandomWeights.of(TWO_LAYERS, 1), GgufType.F32);
        g.putUint32("llama.block_count", blocks);
        Path file = g.write(tmp.resolve("m.gguf"));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(file));
        assertEquals("llama.block_count", e.getCulprit(), e::getMessage);
        assertTrue(e.getMessage().startsWith(file + ": 'llama.block_count': " + blocks + " blocks, but the file"),
                e::getMessage);
        CheckpointFormatException header = assertThrows(CheckpointFormatException.class,
                () -> GgufCheckpointReader.readHeader(file));
        assertEquals("llama.block_count", header.getCulprit());
    }

    @ParameterizedTest
    @ValueSource(floats = {-1f, 0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-30f})
    void ggufHyperParametersMustBeFiniteAndInRange(float value) throws IOException {
        for (String key : new String[] {"llama.attention.layer_norm_rms_epsilon", "llama.rope.freq_base"}) {
            if (key.endsWith("epsilon") && value == 1e-30f) {
                continue;
            }
            GgufWriter g = RandomCheckpoints.ggufWriter(RandomWeights.of(TWO_LAYERS, 1), GgufType.F32);
            g.putFloat32(key, value);
            Path file = g.write(tmp.resolve("m.gguf"));
            String field = key.endsWith("epsilon") ? "rms_norm_eps" : "rope_theta";
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(file));
            assertTrue(e.getMessage().startsWith(file + ": " + field + " must be finite"), e::getMessage);
        }
    }

    @Test
    void ggufTensorsNobodyUsesAreRefused() throws IOException {
        ModelWeights w = RandomWeights.of(TWO_LAYERS, 1);
        GgufWriter g = RandomCheckpoints.ggufWriter(w, GgufType.F32);
        g.addFloats("blk.1.attn_q.bias", new long[] {64}, GgufType.F32, new float[64]);
        Path file = g.write(tmp.resolve("m.gguf"));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(file));
        assertEquals("blk.1.attn_q.bias", e.getCulprit(), e::getMessage);
    }

    @Test
    void longUnusedMetadataArraysAreSkippedNotExpanded() throws IOException {
        ModelWeights w = RandomWeights.of(TWO_LAYERS, 1);
        GgufWriter g = RandomCheckpoints.ggufWriter(w, GgufType.F32);
        g.putRaw("junk.long", GgufReader.T_ARRAY, uint8Array(GgufReader.MAX_KEPT_ARRAY + 1));
        g.putRaw("junk.nested", GgufReader.T_ARRAY, nested(uint8Array(GgufReader.MAX_KEPT_ARRAY + 1)));
        int fits = (int) (GgufReader.MAX_KEPT_ELEMENTS / GgufReader.MAX_KEPT_ARRAY);
        for (int i = 0; i < fits; i++) {
            g.putRaw("junk.budget" + i, GgufReader.T_ARRAY, uint8Array(GgufReader.MAX_KEPT_ARRAY));
        }
        g.putString("after.arrays", "still read");
        Path file = g.write(tmp.resolve("m.gguf"));
        try (GgufReader r = GgufReader.open(file)) {
            assertFalse(r.metadata().containsKey("junk.long"));
            assertFalse(r.metadata().containsKey("junk.nested"));
            assertTrue(r.metadata().containsKey("junk.budget0"));
            assertFalse(r.metadata().containsKey("junk.budget" + (fits - 1)), "the budget of all arrays is spent");
            assertEquals("still read", r.metadata().get("after.arrays"));
        }
        LoadedCheckpoint loaded = CheckpointLoader.load(file);
        assertEquals(2, loaded.config().numLayers());
    }

    @Test
    void skippedArrayThatRunsPastTheFileIsRefused() throws IOException {
        byte[] array = uint8Array(GgufReader.MAX_KEPT_ARRAY + 1);
        ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN).putLong(4, Long.MAX_VALUE / 2);
        Path file = new GgufWriter().putRaw("junk", GgufReader.T_ARRAY, array).write(tmp.resolve("bad.gguf"));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> GgufReader.open(file));
        assertEquals("junk", e.getCulprit());
    }

    /** stories260K: dim 64, hidden_dim 172, 5 layers, 8 heads, 4 kv heads. */
    @ParameterizedTest
    @ValueSource(strings = {"2:3", "1:7", "4:2", "2:4", "6:1024"})
    void llama2cHeaderThatDescribesOtherThanTheFileHolds(String fieldAndValue) throws IOException {
        Path original = io.djlint4.testing.SharedFiles.require("models/stories260K/stories260K.bin");
        byte[] bytes = Files.readAllBytes(original);
        String[] parts = fieldAndValue.split(":");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(4 * Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        Path file = Files.write(tmp.resolve("stories.bin"), bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(file));
        assertEquals("header", e.getCulprit(), e::getMessage);
        assertTrue(e.getMessage().contains(" bytes but its header (dim="), e::getMessage);
    }

    @Test
    void llama2cFileLongerThanItsHeaderSays() throws IOException {
        Path original = io.djlint4.testing.SharedFiles.require("models/stories260K/stories260K.bin");
        byte[] bytes = Files.readAllBytes(original);
        Path file = Files.write(tmp.resolve("stories.bin"), java.util.Arrays.copyOf(bytes, bytes.length + 4));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(file));
        assertTrue(e.getMessage().contains("longer than its header says"), e::getMessage);
    }

    private Path hfWithConfig(java.util.function.Consumer<JsonObject> edit) throws IOException {
        Path dir = tmp.resolve("hf");
        RandomCheckpoints.writeHf(dir, TWO_LAYERS, 3);
        JsonObject config = RandomCheckpoints.hfConfigJson(TWO_LAYERS);
        edit.accept(config);
        Files.writeString(dir.resolve(HfConfigParser.CONFIG_FILE), config.toString(), StandardCharsets.UTF_8);
        return dir;
    }

    /** The value bytes of a uint8 array: element type, count, elements. */
    private static byte[] uint8Array(int count) {
        ByteBuffer b = ByteBuffer.allocate(12 + count).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgufReader.T_UINT8).putLong(count);
        return b.array();
    }

    /** An array holding one array, given its value bytes. */
    private static byte[] nested(byte[] inner) {
        ByteBuffer b = ByteBuffer.allocate(12 + inner.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgufReader.T_ARRAY).putLong(1).put(inner);
        return b.array();
    }
}
