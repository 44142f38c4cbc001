package io.djlint4.engine;

import ai.djl.BaseModel;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlint4.checkpoint.CheckpointLocator;
import io.djlint4.checkpoint.CheckpointLoader;
import io.djlint4.checkpoint.GgufCheckpointReader;
import io.djlint4.checkpoint.GgufReader;
import io.djlint4.checkpoint.LoadOptions;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.DefaultRecipe;
import io.djlint4.quant.ModelQuantizer;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.RecipeSettings;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.gguf.NativeGgufLoader;
import io.djlint4.quant.saved.QuantizedModelReader;
import io.djlint4.quant.saved.SavedQuantizedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A LLaMA/Qwen-family model loaded by the Int4 engine. {@link #load} reads a checkpoint and
 * publishes its shape as model properties ({@code numLayers}, {@code numKvHeads}, {@code
 * headDim}, {@code hiddenSize}, {@code vocabSize}, {@code maxPositionEmbeddings}, {@code bosTokenId}, {@code eosTokenIds}, {@code
 * architecture}) for translator factories.
 *
 * <p>Options: {@code modelFile} (which file of a directory), {@code logits} ({@code last} or
 * {@code all}), {@code checkFinite} ({@code true} by default: reject NaN/Inf weights), {@code
 * lmHead} ({@code fp32} by default, {@code bf16}: the full-precision classifier stored in
 * bfloat16, see {@link DecoderModel#withBf16LmHead()}, or {@code int8}: rounded to 8 bits per block
 * of 32, see {@link DecoderModel#withInt8LmHead()}), {@code quantization} (a {@link
 * QuantRecipe} applied with {@link ModelQuantizer}; for a GGUF file whose matrices are quantized
 * the default is {@code native}, its own blocks run by {@link NativeGgufLoader}, and {@code fp32}
 * expands them to floats), and for recipes that calibrate on text
 * ({@code gptq}, {@code adadim}, {@code rptq}, {@code dfrot}, {@code fp4}) {@code calibration} (a
 * text file, relative to the model directory unless absolute; required by them),
 * {@code calibrationSequences} and {@code calibrationLength} (the set cut from it, 128 x 512 by
 * default); the text is encoded by a {@link CalibrationTokenizer}. A directory written by {@link
 * io.djlint4.quant.saved.QuantizedModelWriter} ({@code int4 quantize}) loads as the quantized
 * model it holds, without calibration; {@code quantization} may then only repeat its recipe. Every
 * option is also
 * published as a model property unless an argument of that name already set it, so translator
 * factories see {@code serving.properties} {@code option.*} values such as {@code
 * option.maxNewTokens}.
 */
public class Int4Model extends BaseModel {

    private LoadedCheckpoint checkpointData;

    /**
     * Creates an empty model; {@link #load} fills it.
     *
     * @param name the model name
     * @param manager the model's manager
     */
    public Int4Model(String name, NDManager manager) {
        super(name);
        this.manager = manager;
        this.manager.setName("int4Model");
        this.dataType = DataType.FLOAT32;
    }

    @Override
    public void load(Path modelPath, String prefix, Map<String, ?> options)
            throws IOException, MalformedModelException {
        setModelDir(modelPath);
        wasLoaded = true;
        if (block != null) {
            throw new UnsupportedOperationException(
                    "Int4 builds its own block from the checkpoint; do not pass Criteria.optBlock");
        }
        OptionNames.requireKnown(options);
        Path source = modelPath.toFile().isDirectory() ? modelDir : modelPath;
        boolean checkFinite = Boolean.parseBoolean(option(options, "checkFinite", "true"));
        String logits = option(options, "logits", "last");
        if (!logits.equals("last") && !logits.equals("all")) {
            throw new IllegalArgumentException(
                    "option logits must be 'last' or 'all', got '" + logits + "'");
        }
        String lmHeadOption = option(options, "lmHead", "fp32");
        ClassifierPrecision lmHead = ClassifierPrecision.named(lmHeadOption)
                .orElseThrow(() -> new IllegalArgumentException(
                        "option lmHead must be 'fp32', 'bf16' or 'int8', got '" + lmHeadOption + "'"));
        if (QuantizedModelReader.isSavedModel(source)) {
            SavedQuantizedModel saved = QuantizedModelReader.read(source, new LoadOptions(checkFinite));
            QuantRecipe recipe = savedRecipe(saved, option(options, "quantization", null));
            checkpointData = saved.checkpoint().withoutWeights();
            publish(checkpointData.config(), source);
            block = new Int4CausalLmBlock(lmHead.apply(saved.model()), logits.equals("all"));
            setProperty("quantization", recipe.toString());
            publishOptions(options);
            return;
        }
        Path checkpoint = CheckpointLocator.locate(source, option(options, "modelFile", null));
        String quantization = option(options, "quantization", null);
        QuantRecipe recipe = quantization == null ? DefaultRecipe.forCheckpoint(checkpoint) : recipe(quantization);
        if (recipe.isNative()) {
            if (!Files.isRegularFile(checkpoint) || !GgufReader.hasMagic(checkpoint)) {
                throw new IllegalArgumentException("option quantization=" + recipe + " runs a GGUF file's own blocks; "
                        + checkpoint + " is not a GGUF file");
            }
            checkpointData = GgufCheckpointReader.readHeader(checkpoint);
            publish(checkpointData.config(), checkpoint);
            DecoderModel decoder = NativeGgufLoader.load(checkpoint, new LoadOptions(checkFinite), recipe.nativeBlocks());
            block = new Int4CausalLmBlock(lmHead.apply(decoder), logits.equals("all"));
            setProperty("quantization", recipe.toString());
            publishOptions(options);
            return;
        }
        RecipeSettings settings = LoadTimeCalibration.settings(options);
        Path calibrationFile =
                recipe.needsCalibration() ? LoadTimeCalibration.requireFile(options, modelDir, recipe) : null;
        checkpointData = CheckpointLoader.load(checkpoint, new LoadOptions(checkFinite));
        // Published before quantizing: the calibration tokenizer looks the checkpoint up.
        publish(checkpointData.weights().config(), checkpoint);
        CalibrationSet calibration = calibrationFile == null
                ? null
                : LoadTimeCalibration.calibrationSet(this, options, calibrationFile, settings);
        DecoderModel decoder = build(checkpointData.weights(), recipe, settings, calibration);
        // The block holds what runs; keeping the float weights too would double a quantized model's memory.
        checkpointData = checkpointData.withoutWeights();
        block = new Int4CausalLmBlock(lmHead.apply(decoder), logits.equals("all"));
        setProperty("quantization", recipe.toString());
        publishOptions(options);
    }

    private static QuantRecipe recipe(String option) {
        try {
            return QuantRecipe.parse(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option quantization: " + e.getMessage(), e);
        }
    }

    /** A saved model runs its own recipe; the option may only repeat it. */
    private static QuantRecipe savedRecipe(SavedQuantizedModel saved, String option) {
        if (option != null && !recipe(option).equals(saved.recipe())) {
            throw new IllegalArgumentException("option quantization=" + option + ": " + saved.checkpoint().source()
                    + " is a saved " + saved.recipe() + " model; drop the option or load its base model");
        }
        return saved.recipe();
    }

    private static DecoderModel build(
            ModelWeights weights, QuantRecipe recipe, RecipeSettings settings, CalibrationSet calibration) {
        try {
            return new ModelQuantizer(settings).quantize(weights, recipe, calibration);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("option quantization=" + recipe + ": " + e.getMessage(), e);
        }
    }

    private void publishOptions(Map<String, ?> options) {
        if (options == null) {
            return;
        }
        for (Map.Entry<String, ?> e : options.entrySet()) {
            if (e.getValue() != null && getProperty(e.getKey()) == null) {
                setProperty(e.getKey(), e.getValue().toString());
            }
        }
    }

    /**
     * Returns what was read from the checkpoint: configuration and file metadata (a GGUF file's
     * tokenizer, for instance). Its weights are dropped once the model is built ({@link
     * LoadedCheckpoint#withoutWeights()}): the block holds the weights it runs.
     *
     * @return the checkpoint, or {@code null} before {@link #load}
     */
    public LoadedCheckpoint getCheckpoint() {
        return checkpointData;
    }

    private void publish(ModelConfig c, Path checkpoint) {
        setProperty("architecture", c.architecture().modelType());
        setProperty("numLayers", String.valueOf(c.numLayers()));
        setProperty("numKvHeads", String.valueOf(c.numKvHeads()));
        setProperty("numAttentionHeads", String.valueOf(c.numHeads()));
        setProperty("headDim", String.valueOf(c.headDim()));
        setProperty("hiddenSize", String.valueOf(c.hiddenSize()));
        setProperty("vocabSize", String.valueOf(c.vocabSize()));
        setProperty("maxPositionEmbeddings", String.valueOf(c.maxPositionEmbeddings()));
        setProperty("bosTokenId", String.valueOf(c.bosTokenId()));
        setProperty(
                "eosTokenIds",
                Arrays.stream(c.eosTokenIds()).mapToObj(String::valueOf).collect(Collectors.joining(",")));
        setProperty("checkpoint", checkpoint.toString());
    }

    private static String option(Map<String, ?> options, String key, String fallback) {
        if (options == null) {
            return fallback;
        }
        Object v = options.get(key);
        return v == null ? fallback : v.toString();
    }
}
