package io.djlint4.quant.saved;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.HfCheckpointReader;
import io.djlint4.checkpoint.LoadOptions;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.checkpoint.SafetensorsReader;
import io.djlint4.checkpoint.SafetensorsTensorInfo;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ActivationMethod;
import io.djlint4.quant.ActivationPlan;
import io.djlint4.quant.WeightPlan;
import io.djlint4.quant.Execution;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizedModelContents;
import io.djlint4.quant.calib.QuantizedLinears;
import io.djlint4.quant.fp4.Fp4Layers;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.quant.rptq.RptqLayers;
import io.djlint4.quant.weight.GroupLayout;
import io.djlint4.quant.weight.DoubleQuantizedWeights;
import io.djlint4.quant.weight.PerIcQuantizedWeights;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.weight.QuantizedWeights;
import io.djlint4.quant.weight.UniformQuantizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a directory written by {@link QuantizedModelWriter} back into the same model, without
 * calibration. Before any tensor is used it checks the header (format, version, fields, recipe),
 * that every tensor the header lists is in the safetensors file with that dtype and shape, that
 * the shapes follow the configuration, and the file's SHA-256; each failure is a {@link
 * CheckpointFormatException} naming the file and the field or tensor at fault.
 */
public final class QuantizedModelReader {

    private QuantizedModelReader() {}

    /**
     * Tells whether a path is a saved quantized model: a directory holding {@value
     * QuantizedModelHeader#FILE_NAME}, or that file.
     *
     * @param path a model path
     * @return whether to read it with this class
     */
    public static boolean isSavedModel(Path path) {
        return Files.isRegularFile(directoryOf(path).resolve(QuantizedModelHeader.FILE_NAME));
    }

    /**
     * Reads a saved model, rejecting non-finite values.
     *
     * @param path the directory, or its header file
     * @return the model
     * @throws IOException if the directory is not a complete, consistent saved model
     */
    public static SavedQuantizedModel read(Path path) throws IOException {
        return read(path, LoadOptions.defaults());
    }

    /**
     * Reads a saved model.
     *
     * @param path the directory, or its header file
     * @param options {@code checkFinite} rejects NaN and infinite scales and tensors
     * @return the model
     * @throws IOException if the directory is not a complete, consistent saved model
     */
    public static SavedQuantizedModel read(Path path, LoadOptions options) throws IOException {
        return read(path, options, Execution.PACKED);
    }

    /**
     * Reads a saved model and builds it to run as {@code execution} says. Quantized projections are
     * read one at a time as the model is built, so their unpacked codes are never all held at once.
     *
     * @param path the directory, or its header file
     * @param options {@code checkFinite} rejects NaN and infinite scales and tensors
     * @param execution packed kernels or simulated
     * @return the model
     * @throws IOException if the directory is not a complete, consistent saved model
     */
    public static SavedQuantizedModel read(Path path, LoadOptions options, Execution execution) throws IOException {
        Path dir = directoryOf(path);
        Path headerFile = dir.resolve(QuantizedModelHeader.FILE_NAME);
        if (!Files.isRegularFile(headerFile)) {
            throw new CheckpointFormatException(dir, "not a saved quantized model: no " + QuantizedModelHeader.FILE_NAME);
        }
        QuantizedModelHeader header =
                QuantizedModelHeader.parse(Files.readString(headerFile, StandardCharsets.UTF_8), headerFile);
        QuantRecipe recipe;
        try {
            recipe = QuantRecipe.parse(header.recipe());
            QuantizedModelWriter.requireSaveable(recipe);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new CheckpointFormatException(headerFile, "recipe", e.getMessage(), e);
        }
        // the header checked the plan's entries already; this is the one copy the model is built with
        ActivationPlan plan = header.activationPlan() == null ? null : new ActivationPlan(header.activationPlan());
        WeightPlan weightPlan = header.weightPlan() == null ? null : new WeightPlan(header.weightPlan());
        requireRecipeSections(header, recipe, plan, weightPlan, headerFile);
        String name = header.tensorsFile();
        Path tensorsFile = dir.resolve(name);
        if (name.isEmpty() || !tensorsFile.getFileName().toString().equals(name) || !Files.isRegularFile(tensorsFile)) {
            throw new CheckpointFormatException(
                    headerFile, "tensorsFile", "'" + name + "' is not a file in " + dir);
        }
        ModelWeights weights;
        DecoderModel model;
        try (SafetensorsReader file = SafetensorsReader.open(tensorsFile)) {
            Tensors t = new Tensors(header, headerFile, file, options.checkFinite());
            t.checkAgainstHeader();
            t.checkLayerCount();
            if (!QuantizedModelHeader.sha256(tensorsFile).equals(header.tensorsSha256())) {
                throw new CheckpointFormatException(tensorsFile, "its SHA-256 differs from the header's tensorsSha256:"
                        + " the file is corrupt or was replaced");
            }
            QuantizedLinears linears = header.linears().isEmpty() ? null : t.linears(recipe);
            Fp4Layers fp4 = header.fp4Linears() == null ? null : Fp4LayerTensors.read(t, header.fp4Linears(), header.config());
            RptqLayers rptq = header.rptq() == null ? null : RptqLayerTensors.read(t, header.rptq(), header.config());
            boolean projectionsStored = linears == null && fp4 == null && (rptq == null || rptq.weights() == null);
            weights = t.weights(projectionsStored, fp4);
            QuantizedModelContents contents = new QuantizedModelContents(
                    recipe, header.settings(), header.kvCache(), weights, linears, fp4, rptq, plan, weightPlan);
            model = ModelQuantizer.build(contents, execution);
        } catch (UncheckedIOException e) {
            // A projection read while the model was built was found inconsistent.
            throw e.getCause();
        }
        checkTokenizerFiles(header, dir, headerFile);
        LoadedCheckpoint checkpoint = new LoadedCheckpoint(header.config(), weights, tokenizerMetadata(header, dir), dir);
        return new SavedQuantizedModel(header, recipe, checkpoint, model);
    }

    /**
     * An {@code fp4} model has FP4 layers and an {@code rptq} model RPTQ layers, with the grid
     * widths of its recipe; neither has integer linears, and other recipes have neither.
     */
    private static void requireRecipeSections(QuantizedModelHeader header, QuantRecipe recipe, ActivationPlan plan,
            WeightPlan weightPlan, Path headerFile) throws CheckpointFormatException {
        boolean fp4 = recipe.bits().floatingPoint();
        boolean rptq = recipe.method() == ActivationMethod.RPTQ;
        boolean weightOnly = !recipe.bits().quantizesActivations();
        requireSection(headerFile, recipe, "fp4Linears", fp4, header.fp4Linears() != null);
        requireSection(headerFile, recipe, "rptq", rptq, header.rptq() != null);
        requireSection(headerFile, recipe, "activationPlan", recipe.planned() && !weightOnly, plan != null);
        requireSection(headerFile, recipe, "weightPlan", recipe.planned() && weightOnly, weightPlan != null);
        if (plan != null) {
            requirePlanFits(plan, header, recipe, headerFile);
        }
        if (weightPlan != null) {
            requireWeightPlanFits(weightPlan, header, headerFile);
        }
        if ((fp4 || rptq) && !header.linears().isEmpty()) {
            throw new CheckpointFormatException(headerFile, "linears", "recipe " + recipe + " has no integer grids");
        }
        if (rptq) {
            QuantizedModelHeader.RptqEntry e = header.rptq();
            int weightBits = recipe.bits().quantizesWeights() ? recipe.bits().weightBits() : 0;
            int kvBits = recipe.kv4() ? KvCacheSettings.BITS : 0;
            if (e.weightBits() != weightBits || e.kvBits() != kvBits) {
                throw new CheckpointFormatException(headerFile, "rptq", e.weightBits() + "-bit weights and a "
                        + e.kvBits() + "-bit cache do not fit recipe " + recipe + " (" + weightBits + " and " + kvBits
                        + "; 0 is full precision)");
            }
        }
    }

    /** The plan covers every layer, each input at the recipe's width or widened. */
    private static void requirePlanFits(ActivationPlan plan, QuantizedModelHeader header, QuantRecipe recipe,
            Path headerFile) throws CheckpointFormatException {
        if (plan.layers() != header.config().numLayers()) {
            throw new CheckpointFormatException(headerFile, "activationPlan", "covers " + plan.layers()
                    + " layers, the model has " + header.config().numLayers());
        }
        int narrow = recipe.bits().activationBits();
        for (ActivationPlan.PlannedInput p : plan.inputs()) {
            if (p.bits() != narrow && p.bits() != ActivationPlan.WIDE_BITS) {
                throw new CheckpointFormatException(headerFile, "activationPlan", "layer " + p.layer() + " " + p.slot()
                        + " has " + p.bits() + "-bit inputs; recipe " + recipe + " gives " + narrow + " or "
                        + ActivationPlan.WIDE_BITS);
            }
        }
    }

    /** The plan covers every layer and names the group size each projection's grids were saved with. */
    private static void requireWeightPlanFits(WeightPlan plan, QuantizedModelHeader header, Path headerFile)
            throws CheckpointFormatException {
        if (plan.layers() != header.config().numLayers()) {
            throw new CheckpointFormatException(headerFile, "weightPlan", "covers " + plan.layers()
                    + " layers, the model has " + header.config().numLayers());
        }
        for (QuantizedModelHeader.LinearEntry e : header.linears()) {
            for (LinearKind kind : LinearKind.values()) {
                if (kind.moduleName().equals(e.module()) && e.layer() >= 0 && e.layer() < plan.layers()
                        && plan.groupSize(e.layer(), kind) != e.groupSize()) {
                    throw new CheckpointFormatException(headerFile, "weightPlan", "layer " + e.layer() + " "
                            + e.module() + " is planned with groups of " + plan.groupSize(e.layer(), kind)
                            + " but saved with groups of " + e.groupSize());
                }
            }
        }
    }

    private static void requireSection(Path headerFile, QuantRecipe recipe, String field, boolean needed, boolean present)
            throws CheckpointFormatException {
        if (needed != present) {
            throw new CheckpointFormatException(headerFile, field, "recipe " + recipe + (needed ? " needs a '" : " has no '")
                    + field + "' section" + (needed ? ", and the header has none" : ", but the header has one"));
        }
    }

    private static Path directoryOf(Path path) {
        Path file = path.getFileName();
        boolean isHeader = file != null && file.toString().equals(QuantizedModelHeader.FILE_NAME);
        return isHeader ? path.toAbsolutePath().getParent() : path;
    }

    /** The tokenizer files are those the model was saved with: a swapped token changes every text. */
    private static void checkTokenizerFiles(QuantizedModelHeader header, Path dir, Path headerFile) throws IOException {
        for (String name : header.tokenizerFiles()) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new CheckpointFormatException(headerFile, "tokenizerFiles", "'" + name + "' is not a file in " + dir);
            }
            if (!QuantizedModelHeader.sha256(f).equals(header.tokenizerSha256().get(name))) {
                throw new CheckpointFormatException(f, "its SHA-256 differs from the header's tokenizerSha256: the file"
                        + " is corrupt or was replaced");
            }
        }
    }

    /** The tokenizer metadata of a GGUF base, copied into the directory when it was saved. */
    private static Map<String, Object> tokenizerMetadata(QuantizedModelHeader header, Path dir) throws IOException {
        if (!header.tokenizerFiles().contains(GgufTokenizerCopy.FILE_NAME)) {
            return Map.of();
        }
        return GgufTokenizerCopy.read(dir.resolve(GgufTokenizerCopy.FILE_NAME));
    }

    /** The tensors of one saved model, checked against the header and the configuration. */
    static final class Tensors {
        private final QuantizedModelHeader header;
        private final Path headerFile;
        private final SafetensorsReader file;
        private final boolean checkFinite;
        private final ModelConfig c;

        Tensors(QuantizedModelHeader header, Path headerFile, SafetensorsReader file, boolean checkFinite) {
            this.header = header;
            this.headerFile = headerFile;
            this.file = file;
            this.checkFinite = checkFinite;
            this.c = header.config();
        }

        /** The layer count sizes allocations: the listed tensors must hold exactly that many layers. */
        void checkLayerCount() throws CheckpointFormatException {
            int n = c.numLayers();
            if (!header.tensors().containsKey(TensorNames.attnNorm(n - 1))
                    || header.tensors().containsKey(TensorNames.attnNorm(n))) {
                throw new CheckpointFormatException(headerFile, "config.numLayers", n + " layers, but the tensors"
                        + " hold " + (header.tensors().containsKey(TensorNames.attnNorm(n)) ? "more" : "fewer"));
            }
            int expected = header.linears().isEmpty() ? 0 : n * LinearKind.values().length;
            if (header.linears().size() != expected) {
                throw new CheckpointFormatException(headerFile, "linears", header.linears().size() + " entries for "
                        + n + " layers of " + LinearKind.values().length + " projections");
            }
        }

        void checkAgainstHeader() throws CheckpointFormatException {
            for (Map.Entry<String, QuantizedModelHeader.TensorEntry> e : header.tensors().entrySet()) {
                SafetensorsTensorInfo info = file.info(e.getKey());
                QuantizedModelHeader.TensorEntry want = e.getValue();
                if (info == null) {
                    throw new CheckpointFormatException(file.file(), e.getKey(), "listed in "
                            + QuantizedModelHeader.FILE_NAME + " but missing from the file");
                }
                if (want == null || !info.dtype().name().equals(want.dtype()) || !Arrays.equals(info.shape(), want.shape())) {
                    throw new CheckpointFormatException(file.file(), e.getKey(), "is " + info.dtype() + " "
                            + Arrays.toString(info.shape()) + " but the header says "
                            + (want == null ? "nothing" : want.dtype() + " " + Arrays.toString(want.shape())));
                }
            }
            for (String name : file.tensorNames()) {
                if (!header.tensors().containsKey(name)) {
                    throw new CheckpointFormatException(file.file(), name, "is not listed in " + QuantizedModelHeader.FILE_NAME);
                }
            }
        }

        /**
         * Checks the header's list of projections now and reads each one's codes when the model
         * builder asks for it; an inconsistent tensor then surfaces as an {@link
         * UncheckedIOException} around its {@link CheckpointFormatException}.
         */
        QuantizedLinears linears(QuantRecipe recipe) throws CheckpointFormatException {
            QuantizedModelHeader.LinearEntry[][] found =
                    new QuantizedModelHeader.LinearEntry[c.numLayers()][LinearKind.values().length];
            for (QuantizedModelHeader.LinearEntry e : header.linears()) {
                LinearKind kind = kindOf(e);
                if (e.layer() < 0 || e.layer() >= c.numLayers() || kind == null) {
                    throw new CheckpointFormatException(headerFile, "linears", "no projection " + e.module()
                            + " in layer " + e.layer() + " of a " + c.numLayers() + "-layer model");
                }
                found[e.layer()][kind.ordinal()] = e;
            }
            for (int l = 0; l < c.numLayers(); l++) {
                for (LinearKind kind : LinearKind.values()) {
                    if (found[l][kind.ordinal()] == null) {
                        throw new CheckpointFormatException(headerFile, "linears", "layer " + l + " "
                                + kind.moduleName() + " is missing");
                    }
                }
            }
            return QuantizedLinears.reading(c.numLayers(), (layer, kind) -> {
                try {
                    return matrix(found[layer][kind.ordinal()], kind, recipe);
                } catch (CheckpointFormatException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        private static LinearKind kindOf(QuantizedModelHeader.LinearEntry e) {
            for (LinearKind k : LinearKind.values()) {
                if (k.moduleName().equals(e.module())) {
                    return k;
                }
            }
            return null;
        }

        private QuantizedMatrix matrix(QuantizedModelHeader.LinearEntry e, LinearKind kind, QuantRecipe recipe)
                throws CheckpointFormatException {
            String module = TensorNames.linear(e.layer(), kind);
            int rows = kind.outFeatures(c);
            int cols = kind.inFeatures(c);
            int g = e.groupSize();
            if (e.bits() != recipe.bits().weightBits() || e.layout() == null || g <= 0
                    || (e.layout() == GroupLayout.PER_INPUT_CHANNEL && rows % g != 0)) {
                throw new CheckpointFormatException(headerFile, module, "grid of " + e.bits() + " bits, layout "
                        + e.layout() + " and groups of " + g + " does not fit recipe " + recipe + " and ["
                        + rows + ", " + cols + "]");
            }
            if (recipe.doubleQuantized()) {
                return doubleQuantized(module, e, rows, cols);
            }
            UniformQuantizer grid = new UniformQuantizer(e.bits(), e.symmetric());
            long[] gridShape = e.layout() == GroupLayout.PER_OUTPUT_CHANNEL
                    ? new long[] {rows, (cols + g - 1) / g}
                    : new long[] {rows / g, cols};
            byte[] packed = bytes(module + TensorNames.CODES, "U8", PackedNibbles.packedLength((long) rows * cols));
            byte[] codes = PackedNibbles.unpack(packed, rows * cols, grid.minCode());
            int maxCode = grid.minCode() + (1 << e.bits()) - 1;
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] > maxCode) {
                    throw new CheckpointFormatException(file.file(), module + TensorNames.CODES, "code " + codes[i]
                            + " at " + i + " is outside the " + e.bits() + "-bit grid");
                }
            }
            float[] scales = floats(module + TensorNames.SCALES, gridShape);
            byte[] z = bytes(module + TensorNames.ZEROS, "I8", gridShape);
            int[] zeros = new int[z.length];
            for (int i = 0; i < z.length; i++) {
                zeros[i] = z[i];
            }
            return e.layout() == GroupLayout.PER_OUTPUT_CHANNEL
                    ? new QuantizedWeights(rows, cols, g, codes, scales, zeros, grid)
                    : new PerIcQuantizedWeights(rows, cols, g, codes, scales, zeros, grid);
        }

        private DoubleQuantizedWeights doubleQuantized(
                String module, QuantizedModelHeader.LinearEntry e, int rows, int cols) throws CheckpointFormatException {
            int g = e.groupSize();
            long[] gridShape = {rows, (cols + g - 1) / g};
            byte[] packed = bytes(module + TensorNames.CODES, "U8", PackedNibbles.packedLength((long) rows * cols));
            byte[] codes = PackedNibbles.unpack(packed, rows * cols, 0);
            byte[] stepCodes = bytes(module + TensorNames.STEP_CODES, "U8", gridShape);
            byte[] minCodes = bytes(module + TensorNames.MIN_CODES, "I8", gridShape);
            float[] stepMax = bf16s(module + TensorNames.STEP_MAX, rows);
            float[] minMax = bf16s(module + TensorNames.MIN_MAX, rows);
            try {
                return new DoubleQuantizedWeights(rows, cols, g, e.bits(), codes, stepCodes, minCodes, stepMax, minMax);
            } catch (IllegalArgumentException bad) {
                throw new CheckpointFormatException(file.file(), module, bad.getMessage(), bad);
            }
        }

        /**
         * The full-precision weights. An FP4 classifier stands in for an untied float one,
         * dequantized, so the weights stay complete; a tied one is the embedding.
         */
        ModelWeights weights(boolean projectionsStored, Fp4Layers fp4) throws IOException {
            int h = c.hiddenSize();
            float[] embedding = floats(TensorNames.EMBEDDING, c.vocabSize(), h);
            float[] lmHead = header.tiedEmbeddings() ? embedding
                    : fp4 != null ? fp4.lmHead().weights().dequantize() : floats(TensorNames.LM_HEAD, c.vocabSize(), h);
            float[] rope = optionalFloats(TensorNames.ROPE_INVERSE_FREQUENCIES, c.headDim() / 2);
            LayerWeights[] layers = new LayerWeights[c.numLayers()];
            for (int l = 0; l < layers.length; l++) {
                float[][] w = new float[LinearKind.values().length][];
                float[][] b = new float[LinearKind.values().length][];
                for (LinearKind kind : LinearKind.values()) {
                    String module = TensorNames.linear(l, kind);
                    int out = kind.outFeatures(c);
                    // Quantized projections stay packed: their floats (four times the codes)
                    // would be held for as long as the model and are never read by it.
                    w[kind.ordinal()] = projectionsStored ? floats(module + TensorNames.WEIGHT, out, kind.inFeatures(c)) : null;
                    b[kind.ordinal()] = optionalFloats(module + TensorNames.BIAS, out);
                }
                layers[l] = new LayerWeights(
                        floats(TensorNames.attnNorm(l), h),
                        w[0], w[1], w[2], w[3], b[0], b[1], b[2],
                        optionalFloats(TensorNames.qNorm(l), c.headDim()),
                        optionalFloats(TensorNames.kNorm(l), c.headDim()),
                        floats(TensorNames.ffnNorm(l), h),
                        w[4], w[5], w[6]);
            }
            return new ModelWeights(c, embedding, layers, floats(TensorNames.FINAL_NORM, h), lmHead, rope);
        }

        private float[] optionalFloats(String name, long... shape) throws CheckpointFormatException {
            return header.tensors().containsKey(name) ? floats(name, shape) : null;
        }

        /** A failure of the header's entry for a tensor or field. */
        CheckpointFormatException headerError(String field, String message) {
            return new CheckpointFormatException(headerFile, field, message);
        }

        /** A failure of a tensor's content. */
        CheckpointFormatException tensorError(String name, String message) {
            return new CheckpointFormatException(file.file(), name, message);
        }

        /** The shape the header gives a required tensor. */
        long[] declaredShape(String name) throws CheckpointFormatException {
            QuantizedModelHeader.TensorEntry e = header.tensors().get(name);
            if (e == null) {
                throw new CheckpointFormatException(headerFile, name, "required tensor is not listed in the header");
            }
            return e.shape().clone();
        }

        double[] doubles(String name, long... shape) throws CheckpointFormatException {
            ByteBuffer b = ByteBuffer.wrap(bytes(name, "F64", shape)).order(ByteOrder.LITTLE_ENDIAN);
            double[] v = new double[b.remaining() / Double.BYTES];
            b.asDoubleBuffer().get(v);
            return v;
        }

        int[] ints(String name, long... shape) throws CheckpointFormatException {
            ByteBuffer b = ByteBuffer.wrap(bytes(name, "I32", shape)).order(ByteOrder.LITTLE_ENDIAN);
            int[] v = new int[b.remaining() / Integer.BYTES];
            b.asIntBuffer().get(v);
            return v;
        }

        int[] shorts(String name, long... shape) throws CheckpointFormatException {
            ByteBuffer b = ByteBuffer.wrap(bytes(name, "I16", shape)).order(ByteOrder.LITTLE_ENDIAN);
            int[] v = new int[b.remaining() / Short.BYTES];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getShort();
            }
            return v;
        }

        float[] bf16s(String name, long... shape) throws CheckpointFormatException {
            ByteBuffer b = ByteBuffer.wrap(bytes(name, "BF16", shape)).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / Short.BYTES];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
            }
            return v;
        }

        float[] floats(String name, long... shape) throws CheckpointFormatException {
            requireShape(name, "F32", shape);
            float[] v;
            try {
                v = file.readFloats(name);
            } catch (CheckpointFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointFormatException(file.file(), name, "cannot be read: " + e.getMessage(), e);
            }
            if (checkFinite) {
                HfCheckpointReader.checkFinite(file.file(), name, v);
            }
            return v;
        }

        byte[] bytes(String name, String dtype, long... shape) throws CheckpointFormatException {
            requireShape(name, dtype, shape);
            try {
                return file.readBytes(name);
            } catch (CheckpointFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointFormatException(file.file(), name, "cannot be read: " + e.getMessage(), e);
            }
        }

        /** The header lists the tensor; its shape (and, for floats, dtype) follow the configuration. */
        private void requireShape(String name, String dtype, long[] shape) throws CheckpointFormatException {
            QuantizedModelHeader.TensorEntry e = header.tensors().get(name);
            if (e == null) {
                throw new CheckpointFormatException(headerFile, name, "required tensor is not listed in the header");
            }
            if (!Arrays.equals(e.shape(), shape) || !dtype.equals(e.dtype())) {
                throw new CheckpointFormatException(headerFile, name, "is " + e.dtype() + " " + Arrays.toString(e.shape())
                        + " but the configuration needs " + dtype + " " + Arrays.toString(shape));
            }
        }
    }
}
