package io.djlint4.checkpoint;

import io.djlint4.model.Architecture;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads llama2.c "legacy" checkpoints: seven little-endian int32 header fields {@code dim,
 * hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len} (a negative vocabulary size
 * marks an untied classifier), then float32 tensors in a fixed order, which must fill the file
 * exactly (a header that describes less than the file holds is refused). llama2.c rotates
 * interleaved channel pairs, so query and key rows are permuted to the rotate-half layout here.
 */
public final class Llama2cCheckpointReader {

    private static final int HEADER_BYTES = 7 * Integer.BYTES;

    /** llama2.c models use these fixed hyper-parameters, which the header does not store. */
    private static final double RMS_EPS = 1e-5;

    private static final double ROPE_THETA = 10000.0;

    private Llama2cCheckpointReader() {}

    /**
     * Reads a checkpoint.
     *
     * @param file the {@code .bin} file
     * @param checkFinite whether to reject NaN or infinite weights
     * @return the configuration and weights
     * @throws IOException if the file cannot be read or is malformed
     */
    public static ModelWeights read(Path file, boolean checkFinite) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new CheckpointFormatException(
                        file, "file has " + size + " bytes, too short for the 28-byte llama2.c header");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header, 0, file);
            header.flip();
            int dim = header.getInt();
            int hiddenDim = header.getInt();
            int layers = header.getInt();
            int heads = header.getInt();
            int kvHeads = header.getInt();
            int vocabField = header.getInt();
            int seqLen = header.getInt();
            boolean tied = vocabField > 0;
            int vocab = Math.abs(vocabField);
            if (looksLikeTokenizer(header)) {
                throw new CheckpointFormatException(file, "this is a llama2.c tokenizer file, not a checkpoint:"
                        + " give the model's checkpoint, with this file as its tokenizer");
            }
            ModelConfig config = configOf(file, dim, hiddenDim, layers, heads, kvHeads, vocab, seqLen, tied);

            long kvDim = config.kvDim();
            long expectedFloats =
                    (long) vocab * dim
                            + (long) layers
                                    * (2L * dim + 2L * dim * dim + 2L * kvDim * dim + 3L * hiddenDim * dim)
                            + dim
                            + (long) seqLen * config.headDim()
                            + (tied ? 0 : (long) vocab * dim);
            long expectedBytes = HEADER_BYTES + 4 * expectedFloats;
            if (size != expectedBytes) {
                throw new CheckpointFormatException(
                        file,
                        "header",
                        "file has "
                                + size
                                + " bytes but its header (dim="
                                + dim
                                + ", hidden_dim="
                                + hiddenDim
                                + ", n_layers="
                                + layers
                                + ", n_heads="
                                + heads
                                + ", n_kv_heads="
                                + kvHeads
                                + ", vocab_size="
                                + vocabField
                                + ", seq_len="
                                + seqLen
                                + ") describes "
                                + expectedBytes
                                + "; the file is "
                                + (size < expectedBytes ? "truncated" : "longer than its header says")
                                + " or the header is wrong");
            }
            TensorCursor in = new TensorCursor(ch, file, HEADER_BYTES, checkFinite);
            float[] embedding = in.next("token_embedding_table", (long) vocab * dim);
            float[][] rmsAtt = in.perLayer("rms_att_weight", layers, dim);
            float[][] wq = in.perLayer("wq", layers, (long) dim * dim);
            float[][] wk = in.perLayer("wk", layers, kvDim * dim);
            float[][] wv = in.perLayer("wv", layers, kvDim * dim);
            float[][] wo = in.perLayer("wo", layers, (long) dim * dim);
            float[][] rmsFfn = in.perLayer("rms_ffn_weight", layers, dim);
            float[][] w1 = in.perLayer("w1", layers, (long) hiddenDim * dim);
            float[][] w2 = in.perLayer("w2", layers, (long) dim * hiddenDim);
            float[][] w3 = in.perLayer("w3", layers, (long) hiddenDim * dim);
            float[] rmsFinal = in.next("rms_final_weight", dim);
            // The precomputed rope tables are redundant with theta; skip them.
            in.skip((long) seqLen * config.headDim());
            float[] classifier = tied ? embedding : in.next("wcls", (long) vocab * dim);

            LayerWeights[] lw = new LayerWeights[layers];
            for (int l = 0; l < layers; l++) {
                lw[l] =
                        new LayerWeights(
                                rmsAtt[l],
                                RopeLayoutPermutation.interleavedToHalf(wq[l], heads, config.headDim(), dim),
                                RopeLayoutPermutation.interleavedToHalf(wk[l], kvHeads, config.headDim(), dim),
                                wv[l],
                                wo[l],
                                null,
                                null,
                                null,
                                null,
                                null,
                                rmsFfn[l],
                                w1[l],
                                w3[l],
                                w2[l]);
            }
            return new ModelWeights(config, embedding, lw, rmsFinal, classifier);
        }
    }

    /**
     * Tells a llama2.c tokenizer ({@code tokenizer.bin}: max token length, then score, length and
     * bytes of each token) from a checkpoint header, which never starts that way: the first token
     * of a tokenizer is short text, while a checkpoint's second and third fields are layer sizes.
     */
    private static boolean looksLikeTokenizer(ByteBuffer header) {
        int maxTokenLength = header.getInt(0);
        float firstScore = header.getFloat(4);
        int firstLength = header.getInt(8);
        if (maxTokenLength < 1 || maxTokenLength > 1024 || !Float.isFinite(firstScore)
                || firstLength < 1 || firstLength > Math.min(maxTokenLength, HEADER_BYTES - 12)) {
            return false;
        }
        for (int i = 12; i < 12 + firstLength; i++) {
            int b = header.get(i) & 0xff;
            if (b < 0x20 || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static ModelConfig configOf(
            Path file,
            int dim,
            int hiddenDim,
            int layers,
            int heads,
            int kvHeads,
            int vocab,
            int seqLen,
            boolean tied)
            throws CheckpointFormatException {
        if (heads > 0 && dim % heads != 0) {
            throw new CheckpointFormatException(
                    file, "dim", "dim " + dim + " is not a multiple of n_heads " + heads);
        }
        try {
            return new ModelConfig(
                    Architecture.LLAMA,
                    dim,
                    hiddenDim,
                    layers,
                    heads,
                    kvHeads,
                    heads > 0 ? dim / heads : 0,
                    vocab,
                    RMS_EPS,
                    ROPE_THETA,
                    null,
                    seqLen,
                    tied,
                    false,
                    false,
                    1,
                    new int[] {2});
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "header", e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new CheckpointFormatException(file, "unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** Reads consecutive float32 tensors from a file position onwards. */
    private static final class TensorCursor {
        private final FileChannel ch;
        private final Path file;
        private final boolean checkFinite;
        private long pos;

        TensorCursor(FileChannel ch, Path file, long pos, boolean checkFinite) {
            this.ch = ch;
            this.file = file;
            this.pos = pos;
            this.checkFinite = checkFinite;
        }

        float[] next(String name, long count) throws IOException {
            if (count > Integer.MAX_VALUE - 8) {
                throw new CheckpointFormatException(
                        file, name, count + " values do not fit in one Java array");
            }
            FloatBuffer fb =
                    ch.map(FileChannel.MapMode.READ_ONLY, pos, count * 4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer();
            float[] out = new float[(int) count];
            fb.get(out);
            if (checkFinite) {
                for (int i = 0; i < out.length; i++) {
                    if (!Float.isFinite(out[i])) {
                        throw new CheckpointFormatException(
                                file, name, "value " + out[i] + " at index " + i + " is not finite");
                    }
                }
            }
            pos += count * 4;
            return out;
        }

        float[][] perLayer(String name, int layers, long count) throws IOException {
            float[][] out = new float[layers][];
            for (int l = 0; l < layers; l++) {
                out[l] = next(name + "[" + l + "]", count);
            }
            return out;
        }

        void skip(long count) {
            pos += count * 4;
        }
    }
}
