package io.djlint4.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RandomWeights;
import io.djlint4.testing.SharedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutants of every checkpoint format: bytes of the header region replaced by random bytes,
 * by counts that would size huge allocations, or cut off. Each mutant must load with the shape of
 * the original model or be refused with a {@link CheckpointFormatException}; any other exception
 * or error (OutOfMemoryError, NullPointerException, ...) fails the test, naming the seed.
 */
class MutationFuzzTest {

    private static final int MUTANTS = 100;

    private static final long[] HOSTILE_VALUES = {0, 1, -1, 2, 3, 7, Integer.MAX_VALUE, 1_000_000_000L,
        Long.MAX_VALUE, 1L << 32, 255, 65536};

    private static final ModelConfig CONFIG = new ModelConfig(
            Architecture.LLAMA, 64, 128, 2, 2, 2, 32, 97, 1e-5, 1e4, null, 64, false, false, false, 1, new int[] {2});

    @TempDir
    Path tmp;

    @Test
    void ggufMutants() throws IOException {
        ModelWeights w = RandomWeights.of(CONFIG, 1);
        byte[] original = Files.readAllBytes(RandomCheckpoints.ggufWriter(w, GgufType.Q8_0).write(tmp.resolve("o.gguf")));
        int header = headerEnd(original);
        fuzz(original, header, "m.gguf", CheckpointLoader::load, 11);
    }

    @Test
    void safetensorsMutants() throws IOException {
        Path dir = tmp.resolve("hf");
        RandomCheckpoints.writeHf(dir, CONFIG, 2);
        byte[] original = Files.readAllBytes(dir.resolve(HfCheckpointReader.SINGLE_FILE));
        long header = 8 + ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        fuzz(original, (int) header, "hf/" + HfCheckpointReader.SINGLE_FILE, f -> CheckpointLoader.load(f.getParent()), 12);
    }

    @Test
    void llama2cMutants() throws IOException {
        byte[] original = Files.readAllBytes(SharedFiles.require("models/stories260K/stories260K.bin"));
        fuzz(original, 28, "stories.bin", CheckpointLoader::load, 13);
    }

    private interface Loader {
        LoadedCheckpoint load(Path file) throws IOException;
    }

    private void fuzz(byte[] original, int headerBytes, String name, Loader loader, long seed) throws IOException {
        Path file = tmp.resolve(name);
        ModelConfig expected = loader.load(Files.write(file, original)).config();
        SplittableRandom random = new SplittableRandom(seed);
        for (int m = 0; m < MUTANTS; m++) {
            byte[] mutant = mutate(original, headerBytes, random);
            Files.write(file, mutant);
            try {
                LoadedCheckpoint loaded = loader.load(file);
                assertSameShape(expected, loaded, "mutant " + m + " of seed " + seed);
            } catch (CheckpointFormatException e) {
                // Refused with our exception: what a hostile file should get.
            } catch (Throwable t) {
                fail("mutant " + m + " of seed " + seed + " of " + name + " threw " + t, t);
            }
        }
    }

    private static byte[] mutate(byte[] original, int headerBytes, SplittableRandom random) {
        int kind = random.nextInt(4);
        if (kind == 0) {
            return Arrays.copyOf(original, random.nextInt(original.length));
        }
        byte[] b = original.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(Math.max(1, headerBytes - 8));
            if (kind == 1) {
                b[at] = (byte) random.nextInt(256);
            } else if (kind == 2) {
                buf.putInt(at, (int) HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)]);
            } else {
                buf.putLong(at, HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)]);
            }
        }
        return b;
    }

    /** A mutant that loads must be the original model's shape: a header cannot describe less. */
    private static void assertSameShape(ModelConfig expected, LoadedCheckpoint loaded, String what) {
        ModelConfig c = loaded.config();
        String shape = "[" + c.hiddenSize() + ", " + c.intermediateSize() + ", " + c.numLayers() + ", " + c.numHeads()
                + ", " + c.numKvHeads() + ", " + c.headDim() + ", " + c.vocabSize() + "]";
        assertEquals("[" + expected.hiddenSize() + ", " + expected.intermediateSize() + ", " + expected.numLayers()
                + ", " + expected.numHeads() + ", " + expected.numKvHeads() + ", " + expected.headDim() + ", "
                + expected.vocabSize() + "]", shape, what);
        ModelWeights w = loaded.weights();
        assertEquals((long) c.vocabSize() * c.hiddenSize(), w.tokenEmbedding().length, what);
        assertEquals(c.numLayers(), w.layers().length, what);
    }

    /** Where a GGUF file's tensor data starts: the header region worth mutating ends there. */
    private static int headerEnd(byte[] gguf) throws IOException {
        Path f = Files.createTempFile("header", ".gguf");
        try {
            Files.write(f, gguf);
            try (GgufReader r = GgufReader.open(f)) {
                long first = Long.MAX_VALUE;
                for (GgufTensorInfo t : r.tensors().values()) {
                    first = Math.min(first, t.fileOffset());
                }
                return (int) first;
            }
        } finally {
            Files.delete(f);
        }
    }
}
