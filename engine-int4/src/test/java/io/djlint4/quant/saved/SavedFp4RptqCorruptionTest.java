package io.djlint4.quant.saved;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.SafetensorsReader;
import io.djlint4.checkpoint.SafetensorsWriter;
import io.djlint4.checkpoint.StrictJson;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizationResult;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.fp4.Fp4Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved fp4, rptq and {@code auto} models whose new tensors or header entries are inconsistent fail with a
 * {@link CheckpointFormatException} naming the file and the tensor or field, even when the header
 * digest and the tensor file's SHA-256 were updated to match (a hostile or buggy writer).
 */
class SavedFp4RptqCorruptionTest {

    /** Four query heads sharing two key/value heads, so the o_proj reorder repeats the value reorder. */
    private static final ModelConfig CONFIG = new ModelConfig(
            Architecture.LLAMA, 64, 128, 2, 4, 2, 16, 97, 1e-5, 1e4, null, 64, false, false, false, 1, new int[] {2});

    private static final Fp4Settings QUICK_FP4 =
            new Fp4Settings(Fp4Format.E2M1, 4, 0.01, 1.2, 1, 16).withFormats(List.of(Fp4Format.values()));

    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String RPTQ_0 = "model.layers.0.rptq.";

    @TempDir
    Path tmp;

    private Path dir;

    private void save(String recipe) throws IOException {
        ModelWeights w = RandomWeights.of(CONFIG, 2);
        // 64-wide rows: the coarsest dq grids take 4.72 bits per weight, so auto's plan gets 5
        QuantizationResult r = new ModelQuantizer(RecipeSettings.DEFAULT.withWeightBudget(5.0), QUICK_FP4)
                .apply(w, QuantRecipe.parse(recipe), CalibrationSet.random(CONFIG.vocabSize(), 2, 16, 3));
        dir = tmp.resolve("model");
        new QuantizedModelWriter(true).write(r.contents(), QuantizedModelRoundTripTest.checkpointOf(w), List.of(), dir);
        QuantizedModelReader.read(dir);
    }

    @Test
    void unknownFp4FormatName() throws IOException {
        save("fp4");
        editHeader(h -> h.getAsJsonArray("fp4Linears").get(2).getAsJsonObject().addProperty("inputFormat", "E5M9"));
        assertFails(QuantizedModelHeader.FILE_NAME, "fp4Linears[2].inputFormat", "unknown FP4 format 'E5M9'");
    }

    @Test
    void fp4LayerMissingOrUnknown() throws IOException {
        save("fp4");
        editHeader(h -> h.getAsJsonArray("fp4Linears").get(0).getAsJsonObject().addProperty("module", "lm_tail"));
        assertFails(QuantizedModelHeader.FILE_NAME, "fp4Linears", "has no entry for " + Q);
        save("fp4");
        editHeader(h -> h.getAsJsonArray("fp4Linears").add(h.getAsJsonArray("fp4Linears").get(0)));
        assertFails(QuantizedModelHeader.FILE_NAME, "fp4Linears", "module " + Q + " is listed twice");
    }

    @Test
    void inputShiftBeyondTheFormat() throws IOException {
        save("fp4");
        rewriteTensor(Q + TensorNames.INPUT_SHIFTS, b -> {
            b[5] = 8;
            return b;
        });
        assertFails(QuantizedModelWriter.TENSORS_FILE, Q + TensorNames.INPUT_SHIFTS, "shift 8 of channel 5 is outside [0, ");
    }

    @Test
    void rowBiasWithoutAUsableUnit() throws IOException {
        save("fp4");
        rewriteTensor(Q + TensorNames.ROW_BIASES, b -> doubleAt(b, 3, Double.NaN));
        assertFails(QuantizedModelWriter.TENSORS_FILE, Q + TensorNames.ROW_BIASES, "bias NaN at 3 gives no finite positive");
        save("fp4");
        rewriteTensor("lm_head" + TensorNames.INPUT_BIAS, b -> doubleAt(b, 0, -1e6));
        assertFails(QuantizedModelWriter.TENSORS_FILE, "lm_head" + TensorNames.INPUT_BIAS, "gives no finite positive");
    }

    @Test
    void fp4SectionMustMatchTheRecipe() throws IOException {
        save("fp4");
        editHeader(h -> h.addProperty("recipe", "w4a4"));
        assertFails(QuantizedModelHeader.FILE_NAME, "fp4Linears", "recipe w4a4 has no 'fp4Linears' section");
        save("w4a4+rptq");
        editHeader(h -> h.addProperty("recipe", "fp4"));
        assertFails(QuantizedModelHeader.FILE_NAME, "fp4Linears", "recipe fp4 needs a 'fp4Linears' section");
    }

    @Test
    void reorderThatIsNotAPermutation() throws IOException {
        save("w4a4+rptq");
        String perm = RPTQ_0 + "gate_up" + TensorNames.PERM;
        rewriteTensor(perm, b -> intAt(b, 1, intAt(b, 0)));
        assertFails(QuantizedModelWriter.TENSORS_FILE, perm, "channel reorder is not a bijection");
        save("w4a4+rptq");
        rewriteTensor(perm, b -> intAt(b, 7, 64));
        assertFails(QuantizedModelWriter.TENSORS_FILE, perm, "position 7 holds 64");
    }

    @Test
    void clusterSizesThatDoNotTileTheReorder() throws IOException {
        save("w4a4+rptq");
        String counts = RPTQ_0 + "down" + TensorNames.COUNTS;
        rewriteTensor(counts, b -> intAt(b, 0, intAt(b, 0) + 1));
        assertFails(QuantizedModelWriter.TENSORS_FILE, counts, "cluster sizes sum to 129, the reorder has 128 channels");
        save("w4a4+rptq");
        rewriteTensor(counts, b -> intAt(b, 0, -5));
        assertFails(QuantizedModelWriter.TENSORS_FILE, counts, "cluster 0 has -5 channels");
    }

    @Test
    void moreClustersThanChannels() throws IOException {
        save("w4a4+rptq");
        String counts = RPTQ_0 + "qkv" + TensorNames.COUNTS;
        byte[] ones = new byte[4 * 65];
        for (int i = 0; i < 65; i++) {
            intAt(ones, i, 1);
        }
        replaceTensor(counts, 65, ones);
        assertFails(QuantizedModelHeader.FILE_NAME, counts, "needs between 1 and 64 clusters, has shape [65]");
    }

    @Test
    void aHugeClusterCountIsRefusedBeforeAnyAllocation() throws IOException {
        save("w4a4+rptq");
        String counts = RPTQ_0 + "qkv" + TensorNames.COUNTS;
        editHeader(h -> {
            JsonArray shape = new JsonArray();
            shape.add(2_000_000_000L);
            h.getAsJsonObject("tensors").getAsJsonObject(counts).add("shape", shape);
        });
        assertFails(QuantizedModelWriter.TENSORS_FILE, counts, "but the header says I32 [2000000000]");
    }

    @Test
    void oProjReorderMustFollowTheValueRows() throws IOException {
        save("w4a4+rptq");
        String perm = RPTQ_0 + "o" + TensorNames.PERM;
        // Still a permutation (of query head 2's block), but no longer its key/value head's value reorder.
        rewriteTensor(perm, b -> {
            int a = intAt(b, 32);
            intAt(b, 32, intAt(b, 33));
            return intAt(b, 33, a);
        });
        assertFails(QuantizedModelWriter.TENSORS_FILE, perm, "query head 2 is not reordered like the value rows of"
                + " key/value head 1");
    }

    @Test
    void gridScaleThatIsNotPositive() throws IOException {
        save("w4a4+rptq+kv4");
        String scales = RPTQ_0 + "keys" + TensorNames.GRID_SCALES;
        rewriteTensor(scales, b -> floatAt(b, 1, 0f));
        assertFails(QuantizedModelWriter.TENSORS_FILE, scales, "scale 0.0 at 1 is not a positive finite number");
    }

    @Test
    void weightCodeOutsideTheGrid() throws IOException {
        save("w3a3+rptq");
        String codes = Q + TensorNames.CODES;
        rewriteTensor(codes, b -> {
            b[0] = (byte) 0xFF;
            return b;
        });
        assertFails(QuantizedModelWriter.TENSORS_FILE, codes, "code 11 at 0 is outside the 3-bit grid");
    }

    @Test
    void rptqGridWidthsMustMatchTheRecipe() throws IOException {
        save("w4a4+rptq+kv4");
        editHeader(h -> h.addProperty("recipe", "w4a4+rptq"));
        assertFails(QuantizedModelHeader.FILE_NAME, "rptq", "4-bit weights and a 4-bit cache do not fit recipe w4a4+rptq");
        save("w4a4+rptq");
        editHeader(h -> h.getAsJsonObject("rptq").getAsJsonArray("activationBits").set(1, new com.google.gson.JsonPrimitive(1)));
        assertFails(QuantizedModelHeader.FILE_NAME, "rptq.activationBits", "1 bits is outside [2, 16]");
    }

    @Test
    void activationPlanMustFitTheRecipeAndTheModel() throws IOException {
        save("w4a4+rot+auto");
        editHeader(h -> h.getAsJsonArray("activationPlan").get(5).getAsJsonObject().addProperty("bits", 6));
        assertFails(QuantizedModelHeader.FILE_NAME, "activationPlan",
                "layer 1 O has 6-bit inputs; recipe w4a4+rot+auto gives 4 or 8");
        save("w4a4+rot+auto");
        editHeader(h -> h.getAsJsonArray("activationPlan").remove(7));
        assertFails(QuantizedModelHeader.FILE_NAME, "activationPlan", "lists the 4 inputs of every layer, got 7");
        save("w4a4+rot+auto");
        editHeader(h -> h.remove("activationPlan"));
        assertFails(QuantizedModelHeader.FILE_NAME, "activationPlan", "needs a 'activationPlan' section");
        save("w4a4+rot");
        editHeader(h -> h.addProperty("recipe", "w4a4+rot+auto"));
        assertFails(QuantizedModelHeader.FILE_NAME, "activationPlan", "needs a 'activationPlan' section");
    }

    @Test
    void weightPlanMustNameTheSavedGroupSizes() throws IOException {
        save("w4a16+g32+dq+auto");
        editHeader(h -> h.getAsJsonArray("weightPlan").get(3).getAsJsonObject().addProperty("groupSize", 8));
        assertFails(QuantizedModelHeader.FILE_NAME, "weightPlan", "layer 0 o_proj is planned with groups of 8 but saved");
        save("w4a16+g32+dq+auto");
        editHeader(h -> h.getAsJsonArray("weightPlan").remove(7));
        assertFails(QuantizedModelHeader.FILE_NAME, "weightPlan", "lists the 7 projections of every layer, got 13");
        save("w4a16+g32+dq+auto");
        editHeader(h -> h.remove("weightPlan"));
        assertFails(QuantizedModelHeader.FILE_NAME, "weightPlan", "needs a 'weightPlan' section");
    }

    private void assertFails(String file, String culprit, String message) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> QuantizedModelReader.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(file).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(culprit, e.getCulprit());
    }

    /** Replaces one tensor's bytes and updates the header's digest of the file, as a writer would. */
    private void rewriteTensor(String name, UnaryOperator<byte[]> edit) throws IOException {
        Path file = dir.resolve(QuantizedModelWriter.TENSORS_FILE);
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertTrue(r.contains(name), name + " is not in the file");
            for (String n : r.tensorNames()) {
                byte[] b = r.readBytes(n);
                w.addBytes(n, r.info(n).dtype(), r.info(n).shape(), n.equals(name) ? edit.apply(b) : b);
            }
        }
        w.write(file);
        String sha = QuantizedModelHeader.sha256(file);
        editHeader(h -> h.addProperty("tensorsSha256", sha));
    }

    /** Replaces a one-dimensional I32 tensor by another of a new length, header entry and digests included. */
    private void replaceTensor(String name, long length, byte[] data) throws IOException {
        Path file = dir.resolve(QuantizedModelWriter.TENSORS_FILE);
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (String n : r.tensorNames()) {
                if (n.equals(name)) {
                    w.addBytes(n, r.info(n).dtype(), new long[] {length}, data);
                } else {
                    w.addBytes(n, r.info(n).dtype(), r.info(n).shape(), r.readBytes(n));
                }
            }
        }
        w.write(file);
        String sha = QuantizedModelHeader.sha256(file);
        editHeader(h -> {
            JsonArray shape = new JsonArray();
            shape.add(length);
            h.getAsJsonObject("tensors").getAsJsonObject(name).add("shape", shape);
            h.addProperty("tensorsSha256", sha);
        });
    }

    /** Edits the header and signs it again. */
    private void editHeader(Consumer<JsonObject> edit) throws IOException {
        Path header = dir.resolve(QuantizedModelHeader.FILE_NAME);
        JsonObject h = JsonParser.parseString(Files.readString(header)).getAsJsonObject();
        edit.accept(h);
        h.remove("headerSha256");
        h.addProperty("headerSha256", QuantizedModelHeader.digestOf(StrictJson.parseObject(h.toString(), header)));
        Files.writeString(header, h.toString());
    }

    private static int intAt(byte[] b, int i) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(4 * i);
    }

    private static byte[] intAt(byte[] b, int i, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4 * i, v);
        return b;
    }

    private static byte[] floatAt(byte[] b, int i, float v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * i, v);
        return b;
    }

    private static byte[] doubleAt(byte[] b, int i, double v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(8 * i, v);
        return b;
    }
}
