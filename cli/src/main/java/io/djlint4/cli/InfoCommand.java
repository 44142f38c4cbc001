package io.djlint4.cli;

import io.djlint4.checkpoint.GgufReader;
import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ActivationPlan;
import io.djlint4.quant.WeightPlan;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.GgufTokenizerFactory;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** {@code int4 info}: the shape of a checkpoint, its parameter count and how it is stored. */
final class InfoCommand implements Command {

    /** Every weight is held as a Java float after loading, whatever the file stores. */
    private static final int LOADED_BYTES_PER_PARAMETER = Float.BYTES;

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "architecture, shape, parameter count and storage of a checkpoint";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(CommonOptions.MODEL, CommonOptions.TOKENIZER, CommonOptions.JSON, CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        ModelInput input = ModelLoader.input(o, context.progress(json));
        LoadedCheckpoint checkpoint = input.checkpoint();
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        ModelConfig c = checkpoint.config();
        long parameters = checkpoint.weights() == null
                ? GgufReader.parameterCount(checkpoint.source())
                : parameterCount(checkpoint.weights());
        long fileBytes = fileBytes(checkpoint.source());

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", checkpoint.source().toString());
        fields.put("format", input.isSaved() ? "int4-quantized" : format(checkpoint));
        QuantRecipe recipe = input.isSaved() ? input.saved().recipe() : ModelLoader.defaultRecipe(input);
        fields.put("recipe", recipe.isQuantized() ? recipe.toString() : null);
        fields.put("gguf_types", ModelLoader.nativeTypes(input, recipe));
        fields.put("architecture", c.architecture().modelType());
        fields.put("layers", c.numLayers());
        fields.put("hidden_size", c.hiddenSize());
        fields.put("intermediate_size", c.intermediateSize());
        fields.put("heads", c.numHeads());
        fields.put("kv_heads", c.numKvHeads());
        fields.put("head_dim", c.headDim());
        fields.put("vocab_size", c.vocabSize());
        fields.put("context_length", c.maxPositionEmbeddings());
        fields.put("tied_embeddings", c.tieWordEmbeddings());
        fields.put("parameters", parameters);
        // A native run holds the file's blocks as they are; every other load expands to floats.
        fields.put("bytes_per_parameter", recipe.isNative() && parameters > 0
                ? (double) fileBytes / parameters
                : LOADED_BYTES_PER_PARAMETER);
        fields.put("file_bytes", fileBytes);
        fields.put("file_bits_per_parameter", parameters == 0 ? 0 : fileBytes * 8.0 / parameters);
        fields.put("bpw", bitsPerWeight(input, recipe));
        fields.put("gguf_bpw", isGguf(checkpoint) && !input.isSaved() ? BitsPerWeight.ggufFile(checkpoint.source()) : null);
        TextTokenizer tokenizer = tokenizerOrNull(checkpoint, tokenizerPath);
        fields.put("tokenizer", tokenizer == null ? null : tokenizer.getClass().getSimpleName());
        fields.put("tokenizer_vocab_size", tokenizer == null ? null : tokenizer.vocabSize());
        Optional<ChatTemplate> template = ChatTemplateLocator.locate(checkpoint, tokenizerPath);
        fields.put("chat_template", template.map(t -> t.getClass().getSimpleName()).orElse(null));
        ActivationPlan plan = input.isSaved() && input.saved().header().activationPlan() != null
                ? new ActivationPlan(input.saved().header().activationPlan())
                : null;
        WeightPlan weightPlan = input.isSaved() && input.saved().header().weightPlan() != null
                ? new WeightPlan(input.saved().header().weightPlan())
                : null;
        if (json) {
            if (plan != null) {
                fields.put("activation_plan", ActivationPlanTable.json(plan));
            }
            if (weightPlan != null) {
                fields.put("weight_plan", WeightPlanTable.json(weightPlan));
            }
            JsonOutput.print(context.out(), fields);
            return;
        }
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = e.getValue();
            String shown = v instanceof Double ? String.format(Locale.ROOT, "%.2f", (Double) v) : String.valueOf(v);
            context.out().printf(Locale.ROOT, "%-24s %s%n", e.getKey().replace('_', ' '), v == null ? "-" : shown);
        }
        if (plan != null) {
            ActivationPlanTable.print(plan, context.out());
        }
        if (weightPlan != null) {
            WeightPlanTable.print(weightPlan, input.saved().header().config(), context.out());
        }
    }

    /**
     * The bits per weight of the decoder projections: a saved model's packed matrices, a quantized
     * GGUF file's own blocks, else the checkpoint's floats (32; the default recipe rounds them when
     * a run loads the model, which info does not).
     */
    private static double bitsPerWeight(ModelInput input, QuantRecipe recipe) throws IOException {
        if (input.isSaved()) {
            return input.saved().model().linearFootprint().bitsPerWeight();
        }
        return recipe.isNative() ? BitsPerWeight.nativeProjections(input.checkpoint().source()) : Float.SIZE;
    }

    /** The tokenizer, or {@code null} when none can be found (info still describes the weights). */
    private static TextTokenizer tokenizerOrNull(LoadedCheckpoint checkpoint, Path override) throws IOException {
        try {
            return TokenizerLocator.locate(checkpoint, override);
        } catch (CliFailure e) {
            if (override != null) {
                throw e;
            }
            return null;
        }
    }

    private static boolean isGguf(LoadedCheckpoint checkpoint) {
        return checkpoint.metadata().containsKey("general.architecture")
                || checkpoint.metadata().containsKey(GgufTokenizerFactory.MODEL);
    }

    private static String format(LoadedCheckpoint checkpoint) {
        if (isGguf(checkpoint)) {
            return "gguf";
        }
        return Files.isDirectory(checkpoint.source()) ? "huggingface" : "llama2.c";
    }

    /**
     * Counts every weight once; a classifier tied to the embedding is the same array. A projection
     * held only packed (a saved quantized model) counts its configured shape.
     */
    static long parameterCount(ModelWeights w) {
        Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        arrays.add(w.tokenEmbedding());
        arrays.add(w.lmHead());
        arrays.add(w.finalNorm());
        long packed = 0;
        for (LayerWeights l : w.layers()) {
            Stream.of(l.attnNorm(), l.bq(), l.bk(), l.bv(), l.qNorm(), l.kNorm(), l.ffnNorm())
                    .filter(a -> a != null)
                    .forEach(arrays::add);
            for (LinearKind kind : LinearKind.values()) {
                if (l.weight(kind) != null) {
                    arrays.add(l.weight(kind));
                } else {
                    packed += (long) kind.outFeatures(w.config()) * kind.inFeatures(w.config());
                }
            }
        }
        long n = packed;
        for (float[] a : arrays) {
            n += a.length;
        }
        return n;
    }

    /** The size of the checkpoint file, or of the weight files of a Hugging Face directory. */
    private static long fileBytes(Path source) throws IOException {
        if (!Files.isDirectory(source)) {
            return Files.size(source);
        }
        long total = 0;
        try (Stream<Path> files = Files.list(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".safetensors")) {
                    total += Files.size(p);
                }
            }
        }
        return total;
    }
}
