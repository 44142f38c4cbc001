package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.quant.ActivationPlan;
import io.djlint4.quant.WeightPlan;
import io.djlint4.quant.Execution;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.QuantizationResult;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.saved.QuantizedModelWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code int4 quantize}: applies a recipe once (calibrating on {@code --calib} when it needs to) and
 * writes the quantized model to a directory, with the tokenizer, that {@code --model DIR} then
 * loads in any command without calibrating again.
 */
final class QuantizeCommand implements Command {

    private static final OptionSpec OUT = OptionSpec.value(
            "out", "DIR", "directory to write the quantized model to (must not exist, or be empty)");
    private static final OptionSpec FORCE = OptionSpec.flag("force", "replace a non-empty --out directory");

    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public String summary() {
        return "quantize a model once and save it for --model";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(CommonOptions.MODEL, CommonOptions.QUANT, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES,
                CommonOptions.CALIB_LEN,
                CommonOptions.WEIGHT_BUDGET, OUT, FORCE, CommonOptions.TOKENIZER,
                CommonOptions.THREADS, CommonOptions.JSON, CommonOptions.VERBOSE);
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        o.require(CommonOptions.QUANT.name());
        Path out = o.requirePath(OUT.name());
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        QuantRecipe recipe = ModelLoader.recipe(o);
        if (!recipe.isQuantized()) {
            throw new UsageException("--quant " + recipe + " leaves the model in full precision; nothing to save");
        }
        QuantizedModelWriter writer = new QuantizedModelWriter(o.flag(FORCE.name()));
        try {
            QuantizedModelWriter.requireSaveable(recipe);
        } catch (UnsupportedOperationException e) {
            throw new CliFailure(e.getMessage(), e);
        }
        List<Path> inputs = new ArrayList<>();
        inputs.add(o.requirePath(CommonOptions.MODEL.name()));
        if (tokenizerPath != null) {
            inputs.add(tokenizerPath);
        }
        if (o.has(CommonOptions.CALIB.name())) {
            inputs.add(o.requirePath(CommonOptions.CALIB.name()));
        }
        try {
            writer.checkTarget(out, inputs);
        } catch (FileSystemException e) {
            boolean forceHelps = e instanceof FileAlreadyExistsException && !o.flag(FORCE.name());
            throw new CliFailure("--out " + e.getFile() + " " + e.getReason() + (forceHelps ? " (--force replaces it)" : ""),
                    e);
        }
        ModelLoader.applyThreads(o);

        TerminalProgress progress = context.progress(json);
        long start = System.nanoTime();
        ModelInput input = ModelLoader.input(o, progress);
        if (input.isSaved()) {
            throw new CliFailure(input.checkpoint().source() + " is a saved " + input.saved().recipe()
                    + " model already; quantize its base model");
        }
        LoadedCheckpoint checkpoint = input.checkpoint();
        CalibrationSet calibration = ModelLoader.calibration(
                o, recipe, TokenizerLocator.locate(checkpoint, tokenizerPath), input.weights(), progress);
        QuantizationResult result = ModelLoader.quantize(
                input.weights(), recipe, ModelLoader.settings(o), calibration, progress, Execution.PACKED);
        progress.stage("writing " + out);
        long bytes;
        try {
            bytes = writer.write(result.contents(), checkpoint, TokenizerLocator.files(checkpoint, tokenizerPath), out);
        } finally {
            progress.clear();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long parameters = InfoCommand.parameterCount(input.weights());

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("out", out.toAbsolutePath().toString());
        fields.put("recipe", recipe.toString());
        fields.put("bytes", bytes);
        fields.put("parameters", parameters);
        fields.put("bytes_per_parameter", (double) bytes / parameters);
        fields.put("seconds", seconds);
        ActivationPlan plan = result.contents().activationPlan();
        if (plan != null) {
            fields.put("activation_plan", ActivationPlanTable.json(plan));
        }
        WeightPlan weightPlan = result.contents().weightPlan();
        if (weightPlan != null) {
            fields.put("weight_plan", WeightPlanTable.json(weightPlan));
        }
        if (json) {
            JsonOutput.print(context.out(), fields);
            return;
        }
        context.out().printf(Locale.ROOT, "wrote %s model to %s%n", recipe, out.toAbsolutePath());
        context.out().printf(Locale.ROOT, "%d bytes on disk, %.3f bytes per parameter (%d parameters), in %.1f s%n",
                bytes, (double) bytes / parameters, parameters, seconds);
        if (plan != null) {
            ActivationPlanTable.print(plan, context.out());
        }
        if (weightPlan != null) {
            WeightPlanTable.print(weightPlan, result.contents().weights().config(), context.out());
        }
    }
}
