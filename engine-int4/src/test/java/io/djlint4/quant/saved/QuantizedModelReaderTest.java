package io.djlint4.quant.saved;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.SafetensorsReader;
import io.djlint4.checkpoint.SafetensorsWriter;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizationResult;
import io.djlint4.quant.RecipeSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupted, incomplete or mismatched saved models fail with a message naming what is wrong. */
class QuantizedModelReaderTest {

    private static final ModelConfig CONFIG = new ModelConfig(
            Architecture.LLAMA, 64, 128, 2, 2, 2, 32, 97, 1e-5, 1e4, null, 64, false, false, false, 1, new int[] {2});
    private static final String CODES = "model.layers.1.mlp.down_proj.codes";

    @TempDir
    Path tmp;

    private Path dir;
    private Path header;
    private Path tensors;
    private QuantizationResult result;
    private ModelWeights weights;

    @BeforeEach
    void save() throws IOException {
        weights = RandomWeights.of(CONFIG, 1);
        result = new ModelQuantizer(RecipeSettings.DEFAULT).apply(weights, QuantRecipe.parse("w4a4+rrs+kv4"), null);
        dir = tmp.resolve("model");
        new QuantizedModelWriter(true).write(
                result.contents(), QuantizedModelRoundTripTest.checkpointOf(weights), List.of(), dir);
        header = dir.resolve(QuantizedModelHeader.FILE_NAME);
        tensors = dir.resolve(QuantizedModelWriter.TENSORS_FILE);
    }

    @Test
    void readsWhatWasWritten() throws IOException {
        QuantizedModelRoundTripTest.assertSameLogits(result.model(), QuantizedModelReader.read(header).model());
    }

    @Test
    void checkpointLoaderSaysWhatTheDirectoryIs() {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointLoader.load(dir));
        assertEquals(dir + ": a saved quantized model, which holds no full-precision weights: read it with"
                + " QuantizedModelReader (the int4 tool and Int4Model do)", e.getMessage());
    }

    @Test
    void missingHeader() throws IOException {
        Files.delete(header);
        assertFalse(QuantizedModelReader.isSavedModel(dir));
        assertFails("no int4-quantized.json", null);
    }

    @Test
    void unparseableHeader() throws IOException {
        Files.writeString(header, "{\"format\": ");
        assertFails("is not valid JSON", null);
    }

    /** Each edit changes what the model computes; none may load silently. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "recipe=\"w4a4+rrs\"", "settings.seed=7", "settings.activationClip=0.5", "settings.smoothGroup=64",
        "config.rmsNormEps=0.001", "config.ropeTheta=20000", "config.tieWordEmbeddings=true",
        "tiedEmbeddings=true", "linears.0.symmetric=false", "kvCache.clip=0.5", "base.name=\"other.bin\"",
        "extra=1"
    })
    void anyEditWithoutTheDigestIsRefused(String edit) throws IOException {
        String path = edit.substring(0, edit.indexOf('='));
        com.google.gson.JsonElement value = JsonParser.parseString(edit.substring(edit.indexOf('=') + 1));
        alterHeader(h -> {
            String[] keys = path.split("\\.");
            com.google.gson.JsonElement target = h;
            for (int i = 0; i < keys.length - 1; i++) {
                target = target.isJsonArray() ? target.getAsJsonArray().get(Integer.parseInt(keys[i]))
                        : target.getAsJsonObject().get(keys[i]);
            }
            target.getAsJsonObject().add(keys[keys.length - 1], value);
        });
        assertFails("the header was altered since it was written", "headerSha256");
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        String json = Files.readString(header);
        Files.writeString(header, json.replaceFirst("\\{", "{\"recipe\": \"w4a16\",\n"));
        assertFails("duplicate JSON key", "recipe");
    }

    @Test
    void unknownArchitectureNamesTheField() throws IOException {
        for (String architecture : new String[] {"\"GPT2\"", "null", "5"}) {
            editHeader(h -> h.getAsJsonObject("config").add("architecture", JsonParser.parseString(architecture)));
            assertFails("architecture is missing or not one of [LLAMA, MISTRAL, QWEN2, QWEN3]", null);
        }
    }

    @Test
    void valuesOutOfRangeNameTheField() throws IOException {
        editHeader(h -> h.getAsJsonObject("settings").addProperty("activationClip", -1));
        assertFails("activationClip (the clip ratio) must be in (0, 1], got -1.0", null);
        save();
        editHeader(h -> h.getAsJsonObject("config").addProperty("rmsNormEps", -1));
        assertFails("rms_norm_eps must be finite and in (0, 1)", null);
        save();
        editHeader(h -> h.getAsJsonArray("linears").get(0).getAsJsonObject().addProperty("layout", "DIAGONAL"));
        assertFails("needs a module, a layout", "linears[0]");
        save();
        editHeader(h -> h.getAsJsonObject("base").addProperty("format", "pickle"));
        assertFails("'pickle' is not one of", "base.format");
        save();
        editHeader(h -> h.addProperty("tensorsFile", "../model/model.safetensors"));
        assertFails("is not a plain file name", "tensorsFile");
        save();
        editHeader(h -> h.addProperty("formatVersion", true));
        assertFails("unsupported version true", "formatVersion");
    }

    @Test
    void unknownFormatVersion() throws IOException {
        editHeader(h -> h.addProperty("formatVersion", 99));
        assertFails("unsupported version 99", "formatVersion");
    }

    @Test
    void missingHeaderField() throws IOException {
        editHeader(h -> h.remove("tensorsSha256"));
        assertFails("missing from the header", "tensorsSha256");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1_000_000_000, Integer.MAX_VALUE, 3, 1})
    void layerCountOtherThanTheTensors(int layers) throws IOException {
        editHeader(h -> h.getAsJsonObject("config").addProperty("numLayers", layers));
        assertFails(layers + " layers, but the tensors hold", "config.numLayers");
    }

    @Test
    void unknownRecipe() throws IOException {
        editHeader(h -> h.addProperty("recipe", "w4a4+magic"));
        assertFails("unknown token 'magic'", "recipe");
    }

    @Test
    void tensorMissingFromFile() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsReader r = SafetensorsReader.open(tensors)) {
            for (String name : r.tensorNames()) {
                if (!name.equals(CODES)) {
                    w.addBytes(name, r.info(name).dtype(), r.info(name).shape(), r.readBytes(name));
                }
            }
        }
        w.write(tensors);
        assertFails("missing from the file", CODES);
    }

    @Test
    void shapeDifferentFromHeader() throws IOException {
        editHeader(h -> {
            JsonArray shape = new JsonArray();
            shape.add(7);
            h.getAsJsonObject("tensors").getAsJsonObject(CODES).add("shape", shape);
        });
        assertFails("but the header says U8 [7]", CODES);
    }

    @Test
    void dtypeDifferentFromHeader() throws IOException {
        editHeader(h -> h.getAsJsonObject("tensors").getAsJsonObject(CODES).addProperty("dtype", "I8"));
        assertFails("is U8 [4096] but the header says I8 [4096]", CODES);
    }

    @Test
    void truncatedTensorFile() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tensors.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        assertFails("truncated", null);
    }

    @Test
    void alteredTokenizerFileIsRefused() throws IOException {
        Path tokenizer = Files.writeString(tmp.resolve("tok512.bin"), "tokens");
        Path other = tmp.resolve("with-tokenizer");
        new QuantizedModelWriter(false).write(
                result.contents(), QuantizedModelRoundTripTest.checkpointOf(weights), List.of(tokenizer), other);
        QuantizedModelReader.read(other);
        Files.writeString(other.resolve("tok512.bin"), "tokenz");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> QuantizedModelReader.read(other));
        assertTrue(e.getMessage().startsWith(other.resolve("tok512.bin") + ": its SHA-256 differs"), e.getMessage());
    }

    @Test
    void flippedByteInTensorData() throws IOException {
        byte[] b = Files.readAllBytes(tensors);
        b[b.length - 10] ^= 0x10;
        Files.write(tensors, b);
        assertFails("SHA-256 differs", null);
    }

    @Test
    void baseModelWithAnotherConfiguration() throws IOException {
        SavedQuantizedModel m = QuantizedModelReader.read(dir);
        m.requireBase(CONFIG);
        ModelConfig other = new ModelConfig(
                Architecture.LLAMA, 64, 128, 3, 2, 2, 32, 97, 1e-5, 1e4, null, 64, false, false, false, 1, new int[] {2});
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> m.requireBase(other));
        assertTrue(e.getMessage().contains("quantized from another base model (saved vs given: numLayers: 2 vs 3)"),
                e.getMessage());
        assertEquals("baseConfigSha256", e.getCulprit());
    }

    @Test
    void refusesToOverwriteANonEmptyDirectory() throws IOException {
        byte[] before = Files.readAllBytes(header);
        assertThrows(FileAlreadyExistsException.class, () -> new QuantizedModelWriter(false)
                .write(result.contents(), QuantizedModelRoundTripTest.checkpointOf(weights), List.of(), dir));
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(header));
        new QuantizedModelWriter(true)
                .write(result.contents(), QuantizedModelRoundTripTest.checkpointOf(weights), List.of(), dir);
        QuantizedModelReader.read(dir);
        assertEquals(List.of("model"), listing(tmp));
    }

    @Test
    void failedWriteLeavesNothingBehind() throws IOException {
        Path target = tmp.resolve("other");
        assertThrows(IOException.class, () -> new QuantizedModelWriter(false).write(result.contents(),
                QuantizedModelRoundTripTest.checkpointOf(weights), List.of(tmp.resolve("no-such-tokenizer.bin")), target));
        assertFalse(Files.exists(target));
        assertEquals(List.of("model"), listing(tmp));
    }

    @Test
    void nativeRecipesAreNotSaved() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> QuantizedModelWriter.requireSaveable(QuantRecipe.parse("native")));
        assertTrue(e.getMessage().contains("the GGUF file is already the saved model"), e.getMessage());
    }

    @Test
    void versionTwoIsStillRead() throws IOException {
        editHeader(h -> h.addProperty("formatVersion", 2));
        QuantizedModelRoundTripTest.assertSameLogits(result.model(), QuantizedModelReader.read(dir).model());
    }

    private void assertFails(String message, String culprit) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> QuantizedModelReader.read(dir));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
        if (culprit != null) {
            assertEquals(culprit, e.getCulprit());
        }
    }

    /** Edits the header and signs it again, as someone who knows the digest would. */
    private void editHeader(java.util.function.Consumer<JsonObject> edit) throws IOException {
        JsonObject h = JsonParser.parseString(Files.readString(header)).getAsJsonObject();
        edit.accept(h);
        h.remove("headerSha256");
        h.addProperty("headerSha256", QuantizedModelHeader.digestOf(
                io.djlint4.checkpoint.StrictJson.parseObject(h.toString(), header)));
        Files.writeString(header, h.toString());
    }

    /** Edits the header without signing it again. */
    private void alterHeader(java.util.function.Consumer<JsonObject> edit) throws IOException {
        JsonObject h = JsonParser.parseString(Files.readString(header)).getAsJsonObject();
        edit.accept(h);
        Files.writeString(header, h.toString());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
