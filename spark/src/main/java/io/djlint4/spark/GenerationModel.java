package io.djlint4.spark;

import ai.djl.nn.Block;
import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.GenerationOptions;
import io.djlint4.cli.ModelInput;
import io.djlint4.cli.ModelLoader;
import io.djlint4.cli.ParsedOptions;
import io.djlint4.cli.TerminalProgress;
import io.djlint4.cli.TokenizerLocator;
import io.djlint4.engine.Int4CausalLmBlock;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What an executor generates with, built from the options exactly as {@code int4 generate} builds
 * it: the model (saved, native GGUF or quantized with {@code --quant}), as a causal-LM block for
 * batches, its tokenizer and the ids that end a sequence.
 *
 * @param block the model as a DJL block, the engine's batched path
 * @param tokenizer the model's tokenizer
 * @param eosIds the ids that end generation
 * @param config the model's configuration (its context length bounds each row)
 */
record GenerationModel(Block block, TextTokenizer tokenizer, int[] eosIds, ModelConfig config) {

    /**
     * Builds the model.
     *
     * @param o the options of {@code int4-spark generate}, file paths resolved for this JVM
     * @return the model
     * @throws IOException when the checkpoint or tokenizer cannot be read
     */
    static GenerationModel load(ParsedOptions o) throws IOException {
        TerminalProgress progress = SilentProgress.create();
        ModelInput input = ModelLoader.input(o, progress);
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name())
                ? Paths.get(o.require(CommonOptions.TOKENIZER.name()))
                : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(input.checkpoint(), tokenizerPath);
        DecoderModel model = ModelLoader.lmHead(o).apply(ModelLoader.build(input, recipe, ModelLoader.settings(o),
                () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress,
                ModelLoader.execution(o)));
        ModelConfig config = input.checkpoint().config();
        return new GenerationModel(new Int4CausalLmBlock(model, false), tokenizer,
                GenerationOptions.stopIds(tokenizer, config, null), config);
    }
}
