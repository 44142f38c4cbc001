package io.djlint4.spark;

import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.EvalCommand;
import io.djlint4.cli.ModelInput;
import io.djlint4.cli.ModelLoader;
import io.djlint4.cli.ParsedOptions;
import io.djlint4.cli.TerminalProgress;
import io.djlint4.cli.TokenizerLocator;
import io.djlint4.model.DecoderModel;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The two models an executor scores windows with, built as {@code int4 eval} builds them for one
 * recipe: the recipe's model, and the full-precision model it is compared with (the checkpoint, or
 * {@code --base} for a saved model).
 *
 * @param model the model scored
 * @param reference the full-precision model; the same instance for {@code fp32}
 * @param buildSeconds seconds spent building {@code model} (quantizing, calibrating)
 */
record EvalModels(DecoderModel model, DecoderModel reference, double buildSeconds) {

    /**
     * Builds the models.
     *
     * @param o the options of {@code int4-spark eval}, file paths resolved for this JVM
     * @return the models
     * @throws IOException when a checkpoint or tokenizer cannot be read
     */
    static EvalModels load(ParsedOptions o) throws IOException {
        TerminalProgress progress = SilentProgress.create();
        ModelInput input = ModelLoader.input(o, progress);
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name())
                ? Paths.get(o.require(CommonOptions.TOKENIZER.name()))
                : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(input.checkpoint(), tokenizerPath);
        DecoderModel fullPrecision = ModelLoader.reference(
                input, o.has(EvalCommand.BASE.name()) ? o.requirePath(EvalCommand.BASE.name()) : null, progress);
        long start = System.nanoTime();
        DecoderModel model = ModelLoader.lmHead(o).apply(input.isSaved() || recipe.isQuantized()
                ? ModelLoader.build(input, recipe, ModelLoader.settings(o),
                        () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress,
                        ModelLoader.execution(o))
                : fullPrecision);
        return new EvalModels(model, fullPrecision, (System.nanoTime() - start) / 1e9);
    }
}
