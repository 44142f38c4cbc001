package io.djlint4.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LogSoftmax;
import io.djlint4.model.ModelWeights;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedLogProbsTest {

    private static DecoderModel model;
    private static DecoderModel other;
    private static ScoredWindows windows;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        ModelWeights weights = Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true);
        model = DecoderModel.fromWeights(weights);
        other = DecoderModel.fromWeights(scaleDown(weights));
        long[] ids = StoriesReference.load().ids("wikitext2_test_first256");
        int[] text = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            text[i] = (int) ids[i];
        }
        windows = EvalProtocol.LLAMA_CPP.cut(text, 1, 64, 3);
    }

    private static SavedLogProbs.Header header(ScoredWindows w) {
        return SavedLogProbs.Header.of(EvalProtocol.LLAMA_CPP, model, w);
    }

    @Test
    void quantizedRowsKeepTheLogProbabilitiesWithinTheGridStep() {
        float[] logits = {2.5f, -1f, 0f, 7.25f, -30f};
        ByteBuffer row = ByteBuffer.allocate(12 + 2 * logits.length).order(ByteOrder.LITTLE_ENDIAN);
        SavedLogProbs.quantizeRow(logits, 0, logits.length, 4, row);
        row.flip();
        float scale = row.getFloat();
        float min = row.getFloat();
        double lse = LogSoftmax.logSumExp(logits, 0, logits.length);
        assertEquals(-30 - lse, row.getFloat(), 1e-5, "the target's exact log-probability, below the floor");
        // The floor is max - 16 = -8.75: -30 lies below it and is stored as code 0.
        assertEquals(16f / 65535, scale, 1e-9);
        assertEquals(-8.75 - lse, min, 1e-5);
        for (int i = 0; i < logits.length; i++) {
            int code = Short.toUnsignedInt(row.getShort());
            if (i == 4) {
                assertEquals(0, code);
            } else {
                assertEquals(logits[i] - lse, scale * code + min, scale);
            }
        }
    }

    @Test
    void savedBaseGivesTheReportOfTheLiveReference() throws IOException {
        Path file = dir.resolve("base.logp");
        SavedLogProbs.save(file, model, EvalProtocol.LLAMA_CPP, windows, done -> {});
        assertEquals(List.of(file), listDir(), "the temporary file is gone");

        EvalReport live = new TextEvaluator(other, model).evaluate(windows, done -> {});
        try (SavedLogProbs saved = SavedLogProbs.open(file, header(windows), windows)) {
            EvalReport fromFile = new TextEvaluator(other, saved).evaluate(windows, done -> {});
            assertEquals(live.perplexity(), fromFile.perplexity(), 0.0, "the model's own likelihood is not stored");
            assertEquals(live.referenceMeanNll(), fromFile.referenceMeanNll(), 1e-6);
            assertEquals(live.klVsReference(), fromFile.klVsReference(), 0.02 * live.klVsReference());
            assertEquals(live.top1Agreement(), fromFile.top1Agreement(), 1.0 / live.tokens());
            assertEquals(3 * (64 - 1 - 32), fromFile.tokens());
            assertTrue(fromFile.klVsReference() > 0);
            EvalReport self = new TextEvaluator(model, saved).evaluate(windows, done -> {});
            // Only the 16-bit grid's rounding (steps of 16/65535 nats) separates the base from its saved rows.
            assertTrue(self.klVsReference() < 5e-5, "KL of the base against its own saved rows: " + self);
            assertEquals(1.0, self.top1Agreement());
        }
    }

    @Test
    void scoringWhileSavingWritesTheSameFileAsASeparatePass() throws IOException {
        Path separate = dir.resolve("separate.logp");
        Path together = dir.resolve("together.logp");
        SavedLogProbs.save(separate, model, EvalProtocol.LLAMA_CPP, windows, done -> {});
        try (SavedLogProbs.Writer w = SavedLogProbs.Writer.create(together, header(windows), windows)) {
            new TextEvaluator(model, (DecoderModel) null).evaluate(windows, done -> {}, w::append);
            w.commit();
        }
        assertEquals(-1L, Files.mismatch(separate, together));
    }

    @Test
    void aBaseOfAnotherRunIsRefusedNamingTheFileAndTheField() throws IOException {
        Path file = dir.resolve("base.logp");
        SavedLogProbs.save(file, model, EvalProtocol.LLAMA_CPP, windows, done -> {});

        ScoredWindows fewer = new ScoredWindows(windows.windows().subList(0, 2), windows.firstScored());
        assertRefused(file, header(fewer), fewer, "window count is 3, this run's is 2");

        List<long[]> edited = new java.util.ArrayList<>(windows.windows());
        long[] w1 = edited.get(1).clone();
        w1[40]++;
        edited.set(1, w1);
        ScoredWindows otherText = new ScoredWindows(edited, windows.firstScored());
        assertRefused(file, header(otherText), otherText, "token ids (SHA-256)");

        SavedLogProbs.Header windowsProtocol = SavedLogProbs.Header.of(EvalProtocol.WINDOWS, model, windows);
        assertRefused(file, windowsProtocol, windows, "protocol is llama.cpp, this run's is windows");

        SavedLogProbs.Header otherModel = new SavedLogProbs.Header("llama.cpp", "llama layers=2", 64, 32,
                model.config().vocabSize(), 3, windows.tokenCount(), windows.tokenHash());
        assertRefused(file, otherModel, windows, "its model is");
    }

    @Test
    void aCutOrForeignFileIsRefused() throws IOException {
        Path file = dir.resolve("base.logp");
        SavedLogProbs.save(file, model, EvalProtocol.LLAMA_CPP, windows, done -> {});
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 10);
        }
        assertRefused(file, header(windows), windows, "a cut or damaged file");

        Path foreign = dir.resolve("foreign.bin");
        Files.writeString(foreign, "_logits_ from llama.cpp");
        assertRefused(foreign, header(windows), windows, "is not a base saved by int4 eval --save-logits");
    }

    @Test
    void anUnfinishedWriterLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("base.logp");
        try (SavedLogProbs.Writer w = SavedLogProbs.Writer.create(file, header(windows), windows)) {
            w.append(model.forward(ForwardRequest.of(windows.windows().get(0), true)).logits());
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertFalse(Files.exists(file));
        assertTrue(listDir().isEmpty(), "no temporary file is left: " + listDir());
    }

    /** The same model with the first layer's down projection scaled by 1.2: a KL of about 1e-3. */
    private static ModelWeights scaleDown(ModelWeights w) {
        LayerWeights[] layers = w.layers().clone();
        LayerWeights l0 = layers[0];
        float[] down = l0.wDown().clone();
        for (int i = 0; i < down.length; i++) {
            down[i] *= 1.2f;
        }
        layers[0] = new LayerWeights(l0.attnNorm(), l0.wq(), l0.wk(), l0.wv(), l0.wo(), l0.bq(), l0.bk(), l0.bv(),
                l0.qNorm(), l0.kNorm(), l0.ffnNorm(), l0.wGate(), l0.wUp(), down);
        return new ModelWeights(w.config(), w.tokenEmbedding(), layers, w.finalNorm(), w.lmHead());
    }

    private static void assertRefused(Path file, SavedLogProbs.Header expected, ScoredWindows w, String why) {
        IOException e = assertThrows(IOException.class, () -> SavedLogProbs.open(file, expected, w).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private List<Path> listDir() throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
