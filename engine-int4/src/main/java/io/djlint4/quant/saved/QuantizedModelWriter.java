package io.djlint4.quant.saved;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.checkpoint.SafetensorsDtype;
import io.djlint4.checkpoint.SafetensorsWriter;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizedModelContents;
import io.djlint4.quant.weight.DoubleQuantizedWeights;
import io.djlint4.quant.weight.PerIcQuantizedWeights;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.weight.QuantizedWeights;
import io.djlint4.quant.weight.UniformQuantizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a quantized model to a directory: {@value #TENSORS_FILE} with the packed 4-bit codes
 * (two per byte, see {@link PackedNibbles}; 3-bit codes one per nibble too), F32 scales and I8
 * zero points of every projection, and the full-precision tensors (embedding, norms, classifier,
 * biases) after rotation; for {@code fp4} each layer's FP4 codes, biases and shifts ({@link
 * Fp4LayerTensors}), for {@code rptq} the reorders, static grids and per-cluster codes ({@link
 * RptqLayerTensors}); {@value QuantizedModelHeader#FILE_NAME} with the recipe, settings and
 * configuration; {@value #SERVING_PROPERTIES} for DJL; and copies of the base model's tokenizer
 * files, or of a GGUF base's tokenizer metadata ({@link GgufTokenizerCopy}), so that the directory
 * never reads its base again. Dequantized weights are never
 * stored. The directory is built beside the destination and renamed into place.
 */
public final class QuantizedModelWriter {

    /** The safetensors file of a saved model. */
    public static final String TENSORS_FILE = "model.safetensors";

    /**
     * DJL's per-model settings: the Int4 engine, and the model zoo's translator factory, so that
     * {@code Criteria.optModelPath(dir)} gives a {@code String -> String} model with no translator
     * argument (DJL warns and ignores the factory when the model-zoo module is not on the class
     * path).
     */
    public static final String SERVING_PROPERTIES = "serving.properties";

    private static final String SERVING_SETTINGS =
            "engine=Int4\ntranslatorFactory=io.djlint4.zoo.Int4TranslatorFactory\n";

    private final boolean overwrite;

    /**
     * Creates a writer.
     *
     * @param overwrite whether an existing non-empty directory may be replaced
     */
    public QuantizedModelWriter(boolean overwrite) {
        this.overwrite = overwrite;
    }

    /**
     * Checks that models of a recipe can be saved, before the work of quantizing them: every
     * recipe that quantizes float weights can, {@code fp4} and {@code rptq} included.
     *
     * @param recipe the recipe
     * @throws UnsupportedOperationException for the native GGUF recipes, which run a GGUF file's
     *     own blocks: that file is already the saved model
     */
    public static void requireSaveable(QuantRecipe recipe) {
        if (recipe.isNative()) {
            throw new UnsupportedOperationException("recipe '" + recipe + "' runs a GGUF file's own blocks:"
                    + " the GGUF file is already the saved model");
        }
    }

    /**
     * Checks that a destination can receive a saved model, so that a caller fails before the work
     * of quantizing: it must not exist, or be an empty directory, or overwriting must be on; and
     * replacing it must not delete an input.
     *
     * @param dir the destination directory
     * @param inputs the files and directories the model is made from (checkpoint, tokenizer, ...)
     * @throws java.nio.file.FileAlreadyExistsException if it is a non-empty directory and
     *     overwriting is off
     * @throws java.nio.file.FileSystemException if it is a file or a file system root, or is,
     *     holds or lies inside an input
     * @throws IOException if a path cannot be resolved
     */
    public void checkTarget(Path dir, Collection<Path> inputs) throws IOException {
        DirectoryReplacement.checkTarget(dir, overwrite);
        DirectoryReplacement.requireApart(dir, inputs);
    }

    /**
     * Writes a model.
     *
     * @param contents what the quantizer built the model from ({@code QuantizationResult.contents()})
     * @param base the checkpoint it was quantized from
     * @param tokenizerFiles files to copy into the directory so it is self-sufficient (may be empty)
     * @param dir the destination directory
     * @return the bytes written
     * @throws IOException if writing fails (nothing is then left at {@code dir}), or {@code dir}
     *     is a file or a non-empty directory and overwriting is off, or replacing it would delete
     *     the base model or a tokenizer file
     */
    public long write(QuantizedModelContents contents, LoadedCheckpoint base, List<Path> tokenizerFiles, Path dir)
            throws IOException {
        requireSaveable(contents.recipe());
        List<Path> inputs = new ArrayList<>(tokenizerFiles);
        inputs.add(base.source());
        checkTarget(dir, inputs);
        Path work = DirectoryReplacement.createBeside(dir);
        Thread cleanup = DirectoryReplacement.cleanupOnShutdown(work);
        try {
            SafetensorsWriter tensors = new SafetensorsWriter();
            Map<String, QuantizedModelHeader.TensorEntry> manifest = new LinkedHashMap<>();
            List<QuantizedModelHeader.LinearEntry> linears = new ArrayList<>();
            TensorSink sink = new TensorSink(tensors, manifest);
            addTensors(contents, sink, linears);
            List<QuantizedModelHeader.Fp4LinearEntry> fp4 =
                    contents.fp4() == null ? null : Fp4LayerTensors.write(contents.fp4(), contents.weights().config(), sink);
            QuantizedModelHeader.RptqEntry rptq =
                    contents.rptq() == null ? null : RptqLayerTensors.write(contents.rptq(), contents.weights().config(), sink);
            Path tensorsFile = work.resolve(TENSORS_FILE);
            tensors.write(tensorsFile);
            List<String> copied = new ArrayList<>();
            for (Path f : tokenizerFiles) {
                String name = f.getFileName().toString();
                if (name.equals(TENSORS_FILE) || name.equals(QuantizedModelHeader.FILE_NAME)
                        || name.equals(SERVING_PROPERTIES) || name.equals(GgufTokenizerCopy.FILE_NAME)) {
                    throw new IllegalArgumentException("tokenizer file " + f + " has a name the saved model uses");
                }
                Files.copy(f, work.resolve(name));
                copied.add(name);
            }
            if (GgufTokenizerCopy.hasTokenizer(base.metadata())) {
                GgufTokenizerCopy.write(base.metadata(), work.resolve(GgufTokenizerCopy.FILE_NAME));
                copied.add(GgufTokenizerCopy.FILE_NAME);
            }
            Map<String, String> tokenizerSha256 = new LinkedHashMap<>();
            for (String name : copied) {
                tokenizerSha256.put(name, QuantizedModelHeader.sha256(work.resolve(name)));
            }
            ModelWeights w = contents.weights();
            QuantizedModelHeader header = new QuantizedModelHeader(
                    QuantizedModelHeader.FORMAT,
                    QuantizedModelHeader.VERSION,
                    contents.recipe().toString(),
                    contents.settings(),
                    contents.kvSettings(),
                    w.config(),
                    base.config(),
                    QuantizedModelHeader.fingerprint(base.config()),
                    baseModel(base),
                    w.lmHead() == w.tokenEmbedding(),
                    TENSORS_FILE,
                    QuantizedModelHeader.sha256(tensorsFile),
                    copied,
                    tokenizerSha256,
                    manifest,
                    linears,
                    fp4,
                    rptq,
                    contents.activationPlan() == null ? null : contents.activationPlan().inputs(),
                    contents.weightPlan() == null ? null : contents.weightPlan().weights(),
                    null);
            Files.writeString(work.resolve(SERVING_PROPERTIES), SERVING_SETTINGS, StandardCharsets.UTF_8);
            Files.writeString(work.resolve(QuantizedModelHeader.FILE_NAME), header.toJson(), StandardCharsets.UTF_8);
            long bytes = sizeOf(work);
            DirectoryReplacement.makeReadable(work);
            DirectoryReplacement.publish(work, dir);
            return bytes;
        } finally {
            DirectoryReplacement.deleteRecursively(work);
            DirectoryReplacement.cancelCleanup(cleanup);
        }
    }

    /** Names the base model for information: its file name and digest, never where it was. */
    private static QuantizedModelHeader.BaseModel baseModel(LoadedCheckpoint base) throws IOException {
        Path source = base.source().toAbsolutePath().normalize();
        String sha256 = Files.isRegularFile(source) ? QuantizedModelHeader.sha256(source) : null;
        Path name = source.getFileName();
        return new QuantizedModelHeader.BaseModel(name == null ? "" : name.toString(), formatOf(base), sha256);
    }

    /**
     * The full-precision tensors, and the projections of the integer recipes; an FP4 classifier
     * replaces the float one, and FP4 and quantized RPTQ projections are written by their own
     * classes.
     */
    private static void addTensors(
            QuantizedModelContents contents, TensorSink sink, List<QuantizedModelHeader.LinearEntry> linears) {
        ModelWeights w = contents.weights();
        ModelConfig c = w.config();
        boolean projectionsElsewhere = contents.fp4() != null
                || (contents.rptq() != null && contents.rptq().weights() != null);
        sink.floats(TensorNames.EMBEDDING, w.tokenEmbedding(), c.vocabSize(), c.hiddenSize());
        sink.floats(TensorNames.FINAL_NORM, w.finalNorm(), c.hiddenSize());
        if (w.lmHead() != w.tokenEmbedding() && contents.fp4() == null) {
            sink.floats(TensorNames.LM_HEAD, w.lmHead(), c.vocabSize(), c.hiddenSize());
        }
        if (w.ropeInverseFrequencies() != null) {
            sink.floats(TensorNames.ROPE_INVERSE_FREQUENCIES, w.ropeInverseFrequencies(), w.ropeInverseFrequencies().length);
        }
        for (int l = 0; l < c.numLayers(); l++) {
            LayerWeights lw = w.layers()[l];
            sink.floats(TensorNames.attnNorm(l), lw.attnNorm(), c.hiddenSize());
            sink.floats(TensorNames.ffnNorm(l), lw.ffnNorm(), c.hiddenSize());
            if (lw.qNorm() != null) {
                sink.floats(TensorNames.qNorm(l), lw.qNorm(), c.headDim());
            }
            if (lw.kNorm() != null) {
                sink.floats(TensorNames.kNorm(l), lw.kNorm(), c.headDim());
            }
            for (LinearKind kind : LinearKind.values()) {
                String module = TensorNames.linear(l, kind);
                int out = kind.outFeatures(c);
                if (lw.bias(kind) != null) {
                    sink.floats(module + TensorNames.BIAS, lw.bias(kind), out);
                }
                if (contents.linears() != null) {
                    linears.add(sink.quantized(l, kind, module, contents.linears().get(l, kind)));
                } else if (!projectionsElsewhere) {
                    sink.floats(module + TensorNames.WEIGHT, lw.weight(kind), out, kind.inFeatures(c));
                }
            }
        }
    }

    /** Adds tensors to the file and to the header's list together. */
    record TensorSink(SafetensorsWriter tensors, Map<String, QuantizedModelHeader.TensorEntry> manifest) {

        void doubles(String name, double[] data, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(data.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(data);
            bytes(name, SafetensorsDtype.F64, b.array(), shape);
        }

        void ints(String name, int[] data, long... shape) {
            tensors.addInts(name, shape, data);
            manifest.put(name, new QuantizedModelHeader.TensorEntry(SafetensorsDtype.I32.name(), shape));
        }

        /** Integers of at most 16 bits, e.g. RPTQ's zero points, which its grid clamps to ±10⁴. */
        void shorts(String name, int[] data, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(data.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : data) {
                if (v != (short) v) {
                    throw new IllegalStateException(name + ": " + v + " does not fit 16 bits");
                }
                b.putShort((short) v);
            }
            bytes(name, SafetensorsDtype.I16, b.array(), shape);
        }

        void floats(String name, float[] data, long... shape) {
            tensors.addFloats(name, shape, data);
            manifest.put(name, new QuantizedModelHeader.TensorEntry(SafetensorsDtype.F32.name(), shape));
        }

        void bytes(String name, SafetensorsDtype dtype, byte[] data, long... shape) {
            tensors.addBytes(name, dtype, shape, data);
            manifest.put(name, new QuantizedModelHeader.TensorEntry(dtype.name(), shape));
        }

        /** Bfloat16 values (floats whose low 16 bits are zero), as their upper halves. */
        void bf16s(String name, float[] data, long... shape) {
            ByteBuffer b = ByteBuffer.allocate(data.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                int bits = Float.floatToRawIntBits(v);
                if ((bits & 0xFFFF) != 0) {
                    throw new IllegalStateException(name + ": " + v + " is no bfloat16 value");
                }
                b.putShort((short) (bits >>> 16));
            }
            bytes(name, SafetensorsDtype.BF16, b.array(), shape);
        }

        QuantizedModelHeader.LinearEntry quantized(int layer, LinearKind kind, String module, QuantizedMatrix m) {
            if (m instanceof DoubleQuantizedWeights dq) {
                return doubleQuantized(layer, kind, module, dq);
            }
            UniformQuantizer grid;
            int groupSize;
            long[] gridShape;
            float[] scales;
            int[] zeros;
            byte[] codes;
            if (m instanceof QuantizedWeights q) {
                grid = q.quantizer();
                groupSize = q.groupSize();
                gridShape = new long[] {q.rows(), q.groups()};
                scales = q.scales();
                zeros = q.zeros();
                codes = q.codes();
            } else {
                PerIcQuantizedWeights p = (PerIcQuantizedWeights) m;
                grid = p.quantizer();
                groupSize = p.groupSize();
                gridShape = new long[] {p.rows() / p.groupSize(), p.cols()};
                scales = p.scales();
                zeros = p.zeros();
                codes = p.codes();
            }
            if (grid.bits() > 4) {
                throw new UnsupportedOperationException(
                        module + ": " + grid.bits() + "-bit weights do not fit the 4-bit packing of saved models");
            }
            bytes(module + TensorNames.CODES, SafetensorsDtype.U8,
                    PackedNibbles.pack(codes, grid.minCode()), PackedNibbles.packedLength(codes.length));
            floats(module + TensorNames.SCALES, scales, gridShape);
            byte[] z = new byte[zeros.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = (byte) zeros[i];
            }
            bytes(module + TensorNames.ZEROS, SafetensorsDtype.I8, z, gridShape);
            return new QuantizedModelHeader.LinearEntry(
                    layer, kind.moduleName(), m.layout(), grid.bits(), grid.symmetric(), groupSize);
        }

        private QuantizedModelHeader.LinearEntry doubleQuantized(
                int layer, LinearKind kind, String module, DoubleQuantizedWeights m) {
            if (m.bits() > 4) {
                throw new UnsupportedOperationException(
                        module + ": " + m.bits() + "-bit weights do not fit the 4-bit packing of saved models");
            }
            long[] gridShape = {m.rows(), m.groups()};
            bytes(module + TensorNames.CODES, SafetensorsDtype.U8,
                    PackedNibbles.pack(m.codes(), 0), PackedNibbles.packedLength(m.codes().length));
            bytes(module + TensorNames.STEP_CODES, SafetensorsDtype.U8, m.stepCodes(), gridShape);
            bytes(module + TensorNames.MIN_CODES, SafetensorsDtype.I8, m.minCodes(), gridShape);
            bf16s(module + TensorNames.STEP_MAX, m.stepMax(), m.rows());
            bf16s(module + TensorNames.MIN_MAX, m.minMax(), m.rows());
            return new QuantizedModelHeader.LinearEntry(
                    layer, kind.moduleName(), m.layout(), m.bits(), false, m.groupSize());
        }
    }

    private static String formatOf(LoadedCheckpoint base) {
        if (base.metadata().containsKey(GgufTokenizerCopy.ARCHITECTURE)) {
            return "gguf";
        }
        return Files.isDirectory(base.source()) ? "huggingface" : "llama2.c";
    }

    private static long sizeOf(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                total += Files.size(p);
            }
        }
        return total;
    }
}
