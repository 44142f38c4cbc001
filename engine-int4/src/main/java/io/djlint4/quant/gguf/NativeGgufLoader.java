package io.djlint4.quant.gguf;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.GgufCheckpointReader;
import io.djlint4.checkpoint.GgufReader;
import io.djlint4.checkpoint.GgufTensorInfo;
import io.djlint4.checkpoint.GgufType;
import io.djlint4.checkpoint.LoadOptions;
import io.djlint4.checkpoint.RopeFreqFactors;
import io.djlint4.checkpoint.RopeLayoutPermutation;
import io.djlint4.kernels.gguf.BlockFormat;
import io.djlint4.kernels.gguf.BlockFormats;
import io.djlint4.kernels.gguf.GgufMatrix;
import io.djlint4.model.Architecture;
import io.djlint4.model.DecoderLayer;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.GgufBlockLinear;
import io.djlint4.model.KvCacheScheme;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RmsNorm;
import io.djlint4.model.RotaryEmbedding;
import io.djlint4.model.TokenEmbedding;
import io.djlint4.quant.NativeBlocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a runnable model straight from a GGUF file's blocks (recipe {@code native}): every matrix
 * of a type in {@link BlockFormats} is read byte for byte into a {@link GgufMatrix}, never
 * expanded to floats; F32/F16/BF16 matrices and the norms are read as floats. The classifier
 * ({@code output.weight}, or the tied {@code token_embd.weight}) runs on its own type too, and a
 * quantized embedding table is expanded one row per token.
 */
public final class NativeGgufLoader {

    private static final int[] NO_ORDER = null;

    private NativeGgufLoader() {}

    /**
     * Returns whether a checkpoint is a GGUF file whose matrices are quantized, which makes {@code
     * native} its default recipe.
     *
     * @param file any checkpoint file or directory
     * @return {@code true} for a GGUF file with a block matrix of a quantized type
     * @throws IOException if the file cannot be read
     */
    public static boolean hasQuantizedMatrices(Path file) throws IOException {
        return Files.isRegularFile(file) && GgufReader.hasMagic(file) && !quantizedTypes(file).isEmpty();
    }

    /**
     * Lists the quantized types of a file's matrices with how many tensors have each, for
     * reports ({@code int4 info}, {@code eval}/{@code bench} JSON).
     *
     * @param file the .gguf file
     * @return type name to tensor count, in first-seen order; empty for a float file
     * @throws IOException if the file cannot be read
     */
    public static Map<String, Integer> quantizedTypes(Path file) throws IOException {
        try (GgufReader r = GgufReader.open(file)) {
            return types(r);
        }
    }

    private static Map<String, Integer> types(GgufReader r) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : r.tensorNames()) {
            GgufTensorInfo t = r.info(name);
            if (t.dims().length == 2 && !isFloat(t.type())) {
                counts.merge(t.type().name(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static boolean isFloat(GgufType type) {
        return type == GgufType.F32 || type == GgufType.F16 || type == GgufType.BF16;
    }

    /**
     * Reads a GGUF file into a model that runs its blocks as they are.
     *
     * @param file the .gguf file
     * @param options load options ({@code checkFinite} rejects blocks that expand to NaN or Inf)
     * @param inputs float inputs, or inputs rounded to 8 bits per block of 32
     * @return the model
     * @throws IOException if the file cannot be read, or a tensor is missing, misshapen, of a type
     *     that does not run natively, or not finite (the message names the tensor)
     */
    public static DecoderModel load(Path file, LoadOptions options, NativeBlocks inputs) throws IOException {
        if (inputs == NativeBlocks.OFF) {
            throw new IllegalArgumentException("NativeGgufLoader runs native recipes only");
        }
        try (GgufReader r = GgufReader.open(file)) {
            return new Builder(r, options.checkFinite(), inputs == NativeBlocks.Q8_INPUTS).build();
        }
    }

    /** Reads one file's tensors into layers. */
    private static final class Builder {
        private final GgufReader r;
        private final boolean checkFinite;
        private final boolean q8;
        private final ModelConfig c;

        Builder(GgufReader r, boolean checkFinite, boolean q8) throws CheckpointFormatException {
            this.r = r;
            this.checkFinite = checkFinite;
            this.q8 = q8;
            this.c = GgufCheckpointReader.config(r);
        }

        DecoderModel build() throws IOException {
            int h = c.hiddenSize();
            int inter = c.intermediateSize();
            int d = c.headDim();
            double eps = c.rmsNormEps();
            boolean permute = c.architecture() == Architecture.LLAMA || c.architecture() == Architecture.MISTRAL;
            int[] qOrder = permute ? RopeLayoutPermutation.interleavedToHalfOrder(c.numHeads(), d) : NO_ORDER;
            int[] kOrder = permute ? RopeLayoutPermutation.interleavedToHalfOrder(c.numKvHeads(), d) : NO_ORDER;
            DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
            for (int i = 0; i < layers.length; i++) {
                String p = "blk." + i + ".";
                float[] bq = c.attentionBias() ? floats(p + "attn_q.bias", c.qDim()) : null;
                float[] bk = c.attentionBias() ? floats(p + "attn_k.bias", c.kvDim()) : null;
                if (permute && bq != null) {
                    bq = RopeLayoutPermutation.interleavedToHalf(bq, c.numHeads(), d, 1);
                    bk = RopeLayoutPermutation.interleavedToHalf(bk, c.numKvHeads(), d, 1);
                }
                layers[i] = new DecoderLayer(
                        c,
                        new RmsNorm(floats(p + "attn_norm.weight", h), eps),
                        linear(p + "attn_q.weight", c.qDim(), h, qOrder, bq),
                        linear(p + "attn_k.weight", c.kvDim(), h, kOrder, bk),
                        linear(p + "attn_v.weight", c.kvDim(), h, NO_ORDER,
                                c.attentionBias() ? floats(p + "attn_v.bias", c.kvDim()) : null),
                        linear(p + "attn_output.weight", h, c.qDim(), NO_ORDER, null),
                        c.qkNorm() ? new RmsNorm(floats(p + "attn_q_norm.weight", d), eps) : null,
                        c.qkNorm() ? new RmsNorm(floats(p + "attn_k_norm.weight", d), eps) : null,
                        new RmsNorm(floats(p + "ffn_norm.weight", h), eps),
                        linear(p + "ffn_gate.weight", inter, h, NO_ORDER, null),
                        linear(p + "ffn_up.weight", inter, h, NO_ORDER, null),
                        linear(p + "ffn_down.weight", h, inter, NO_ORDER, null),
                        KvCacheScheme.FULL_PRECISION);
            }
            Matrix embedding = matrix("token_embd.weight", c.vocabSize(), h, NO_ORDER);
            Matrix head = c.tieWordEmbeddings() ? embedding : matrix("output.weight", c.vocabSize(), h, NO_ORDER);
            RotaryEmbedding rope = r.info("rope_freqs.weight") == null
                    ? new RotaryEmbedding(c)
                    : new RotaryEmbedding(d, RopeFreqFactors.inverseFrequencies(c, floats("rope_freqs.weight", d / 2)));
            return new DecoderModel(
                    c,
                    embedding.embedding(h),
                    layers,
                    new RmsNorm(floats("output_norm.weight", h), eps),
                    head.linear(null, q8),
                    rope);
        }

        private float[] floats(String name, long... dims) throws IOException {
            GgufCheckpointReader.requireTensor(r, name, dims);
            float[] v = r.readFloats(name);
            if (checkFinite) {
                checkFinite(name, v, 0, v.length);
            }
            return v;
        }

        private LinearLayer linear(String name, int out, int in, int[] order, float[] bias) throws IOException {
            return matrix(name, out, in, order).linear(bias, q8);
        }

        private Matrix matrix(String name, int out, int in, int[] order) throws IOException {
            GgufTensorInfo info = GgufCheckpointReader.requireTensor(r, name, in, out);
            if (isFloat(info.type())) {
                float[] w = floats(name, in, out);
                return new Matrix(null, order == NO_ORDER ? w : RopeLayoutPermutation.interleavedToHalf(w, out / c.headDim(), c.headDim(), in), out, in);
            }
            BlockFormat format = BlockFormats.byType(info.type().id())
                    .orElseThrow(() -> new CheckpointFormatException(r.file(), name, "tensor type " + info.type()
                            + " does not run natively (supported: " + supportedTypes()
                            + "); run the file with --quant fp32 or another recipe"));
            ByteBuffer raw = r.rawData(name);
            byte[] bytes = new byte[raw.remaining()];
            raw.get(bytes);
            GgufMatrix m;
            try {
                m = new GgufMatrix(format, out, in, bytes);
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(r.file(), name, e.getMessage(), e);
            }
            if (checkFinite) {
                checkFinite(name, m);
            }
            return new Matrix(order == NO_ORDER ? m : m.permuteRows(order), null, out, in);
        }

        /** A block whose scale is NaN or Inf expands to non-finite values: refuse it as float tensors are. */
        private void checkFinite(String name, GgufMatrix m) throws CheckpointFormatException {
            long first = m.firstNonFiniteBlockValue();
            if (first >= 0) {
                int block = m.format().blockSize();
                float[] values = new float[block];
                m.format().dequantize(m.data(), (int) (first / block) * m.format().typeSize(), values, 0, 1);
                checkFinite(name, values, first, block);
                throw new CheckpointFormatException(r.file(), name, "the block of values " + first + " to "
                        + (first + block - 1) + " has a non-finite scale (load with checkFinite=false to accept it)");
            }
        }

        private void checkFinite(String name, float[] v, long firstIndex, int n) throws CheckpointFormatException {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new CheckpointFormatException(r.file(), name, "value " + v[i] + " at index " + (firstIndex + i)
                            + " is not finite (load with checkFinite=false to accept it)");
                }
            }
        }

    }

    private static String supportedTypes() {
        List<String> names = new ArrayList<>(List.of("F32", "F16", "BF16"));
        for (BlockFormat f : BlockFormats.all()) {
            names.add(f.typeName());
        }
        return String.join(", ", names);
    }

    /** A matrix as read: blocks, or floats for a float tensor. */
    private record Matrix(GgufMatrix blocks, float[] dense, int out, int in) {

        LinearLayer linear(float[] bias, boolean q8) {
            return blocks != null ? new GgufBlockLinear(blocks, bias, q8) : new DenseLinear(dense, bias, out, in);
        }

        TokenEmbedding embedding(int hidden) {
            return blocks != null ? blocks::dequantizeRow : TokenEmbedding.of(dense, hidden);
        }
    }
}
