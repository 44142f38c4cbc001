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
        new QuantizedModelWriter(false).write(
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
        assertFails("header is not valid JSON", null);
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
    void fp4AndRptqCannotBeSavedYet() {
        for (String recipe : new String[] {"fp4", "w4a4+rptq"}) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> QuantizedModelWriter.requireSaveable(QuantRecipe.parse(recipe)));
            assertTrue(e.getMessage().startsWith("recipe '" + recipe + "': saving is not implemented yet"), e.getMessage());
        }
    }

    private void assertFails(String message, String culprit) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> QuantizedModelReader.read(dir));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
        if (culprit != null) {
            assertEquals(culprit, e.getCulprit());
        }
    }

    private void editHeader(java.util.function.Consumer<JsonObject> edit) throws IOException {
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
