package io.djlint4.quant.rptq;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ActivationMethod;
import io.djlint4.quant.BitWidths;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.QuantRecipe;
import java.util.List;

/**
 * Applies RPTQ to a model (§7): channel ranges of every linear input over the calibration
 * sequences, k-means reorders, the reorders fused into the weights, per-cluster activation ranges
 * calibrated by EMA, weights quantized per output row and input cluster. Calibration runs on the
 * full-precision model: the official code feeds each layer the outputs of the already quantized
 * layers before it, which this one-pass form leaves out.
 */
public final class RptqQuantizer {

    private final RptqSettings settings;
    private final CalibrationProgress progress;

    /**
     * Creates the quantizer.
     *
     * @param settings cluster counts, k-means and calibration constants
     */
    public RptqQuantizer(RptqSettings settings) {
        this(settings, CalibrationProgress.NONE);
    }

    /**
     * Creates the quantizer that reports each calibration pass over a sequence.
     *
     * @param settings cluster counts, k-means and calibration constants
     * @param progress hears of each finished pass
     */
    public RptqQuantizer(RptqSettings settings, CalibrationProgress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Computes the channel reorders of a model from calibration sequences.
     *
     * @param weights the full-precision weights
     * @param calibration the token sequences, each run from an empty cache
     * @return the reorders; the same inputs always give the same plan
     */
    public ReorderPlan plan(ModelWeights weights, List<long[]> calibration) {
        requireSequences(calibration);
        return plan(DecoderModel.fromWeights(weights), calibration);
    }

    /**
     * Builds the full-precision model with a plan fused into its weights; it computes the
     * original function (oracle 33).
     *
     * @param weights the full-precision weights (not modified)
     * @param plan the reorders
     * @return the reordered model
     */
    public DecoderModel reorderedModel(ModelWeights weights, ReorderPlan plan) {
        return DecoderModel.fromWeights(ReorderFusion.apply(weights, plan), RptqLinears.fullPrecision(plan));
    }

    /**
     * Builds the quantized model a recipe describes.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe an {@code rptq} recipe with integer bit widths
     * @param calibration the token sequences, each run from an empty cache
     * @return the quantized model
     * @throws IllegalArgumentException if the recipe is not RPTQ or calibration is missing
     * @throws UnsupportedOperationException for {@code gptq} and {@code kv4}, not implemented yet
     */
    public DecoderModel quantize(ModelWeights weights, QuantRecipe recipe, List<long[]> calibration) {
        requireRecipe(recipe);
        if (calibration == null || calibration.isEmpty()) {
            throw new IllegalArgumentException(
                    "recipe '" + recipe + "' needs calibration sequences: RPTQ clusters channels by their"
                            + " ranges over calibration tokens; pass them to"
                            + " ModelQuantizer.quantize(weights, recipe, calibration)");
        }
        requireSequences(calibration);
        DecoderModel fp = DecoderModel.fromWeights(weights);
        ReorderPlan plan = plan(fp, calibration);
        ClusterRangeCalibrator ranges = new ClusterRangeCalibrator(plan, settings.emaMomentum());
        run(fp, calibration, ranges, calibration.size());

        BitWidths bits = recipe.bits();
        int layers = weights.config().numLayers();
        ClusterActivationQuantizer[][] acts = new ClusterActivationQuantizer[layers][LinearSlot.values().length];
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                ClusterGrid grid = new ClusterGrid(settings.activationBits(slot, bits.activationBits()));
                acts[l][slot.ordinal()] = ranges.quantizer(l, slot, grid);
            }
        }
        ClusterWeightQuantizer w = bits.quantizesWeights() ? new ClusterWeightQuantizer(bits.weightBits()) : null;
        return DecoderModel.fromWeights(ReorderFusion.apply(weights, plan), RptqLinears.quantized(plan, acts, w));
    }

    private ReorderPlan plan(DecoderModel fp, List<long[]> calibration) {
        ChannelRangeCollector ranges = new ChannelRangeCollector(fp.config().numLayers());
        run(fp, calibration, ranges, 0);
        return ReorderPlan.compute(fp.config(), ranges, settings);
    }

    /**
     * One forward pass per sequence, so observers see one call per sequence and slot. RPTQ runs
     * the set twice (channel ranges, then cluster ranges); {@code before} is the number of passes
     * already reported.
     */
    private void run(DecoderModel model, List<long[]> calibration, LinearInputObserver observer, int before) {
        for (int i = 0; i < calibration.size(); i++) {
            model.forward(ForwardRequest.of(calibration.get(i), false).withObserver(observer));
            progress.update("rptq passes", before + i + 1, 2 * calibration.size());
        }
    }

    private static void requireRecipe(QuantRecipe recipe) {
        if (recipe.method() != ActivationMethod.RPTQ) {
            throw new IllegalArgumentException("recipe '" + recipe + "' is not an rptq recipe");
        }
        if (recipe.bits().floatingPoint()) {
            throw new IllegalArgumentException("recipe '" + recipe + "': rptq needs integer bit widths");
        }
        if (recipe.gptq()) {
            throw new UnsupportedOperationException(
                    "recipe '" + recipe + "': not implemented yet: gptq with rptq (GPTQ over RPTQ's"
                            + " per-row, per-input-cluster weight grids)");
        }
        if (recipe.kv4()) {
            throw new UnsupportedOperationException(
                    "recipe '" + recipe + "': not implemented yet: kv4 with rptq (needs a KV-cache"
                            + " quantization hook in the decoder for the post-rope K reorder and static"
                            + " per-cluster K/V grids, §7.3)");
        }
    }

    private static void requireSequences(List<long[]> calibration) {
        if (calibration == null || calibration.isEmpty()) {
            throw new IllegalArgumentException("no calibration sequences given");
        }
        for (int i = 0; i < calibration.size(); i++) {
            if (calibration.get(i) == null || calibration.get(i).length == 0) {
                throw new IllegalArgumentException("calibration sequence " + i + " is empty");
            }
        }
    }
}
