package io.djlint4.quant.rptq;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearInputObserver;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ActivationMethod;
import io.djlint4.quant.BitWidths;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.UniformQuantizer;
import java.util.List;

/**
 * Applies RPTQ to a model (§7): channel ranges of every linear input over the calibration
 * sequences, k-means reorders, the reorders fused into the weights, per-cluster activation ranges
 * calibrated by EMA, weights quantized per output row and input cluster, rounded to nearest or,
 * with {@code gptq}, by GPTQ on the layer's quantized inputs ({@link SequentialClusterGptq}). With
 * {@code kv4}, keys and values enter the cache rounded to {@link KvCacheSettings#BITS} bits with
 * static per-cluster grids ({@link ClusterKvQuantizer}): keys clustered per key/value head after
 * rope together with the queries (R2, {@link KeyReorders}), values by the R3 clusters; queries,
 * scores and probabilities stay in full precision, as in RPTQ's "KV" settings. Reorders and
 * activation and cache ranges are calibrated on the full-precision model: the official code feeds
 * each layer the outputs of the already quantized layers before it, which this one-pass form
 * leaves out (GPTQ alone runs layer by layer on quantized outputs).
 */
public final class RptqQuantizer {

    /** GPTQ's dampening in RPTQ's code (§7.4). */
    private static final double GPTQ_DAMP = 0.01;

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
     */
    public DecoderModel quantize(ModelWeights weights, QuantRecipe recipe, List<long[]> calibration) {
        return apply(weights, recipe, calibration).model();
    }

    /**
     * Builds the quantized model a recipe describes and keeps what it was built from, for saving.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe an {@code rptq} recipe with integer bit widths
     * @param calibration the token sequences, each run from an empty cache
     * @return the model, the reordered weights and the calibrated reorders, grids and codes
     * @throws IllegalArgumentException if the recipe is not RPTQ or calibration is missing
     */
    public RptqModel apply(ModelWeights weights, QuantRecipe recipe, List<long[]> calibration) {
        requireRecipe(recipe);
        if (calibration == null || calibration.isEmpty()) {
            throw new IllegalArgumentException(
                    "recipe '" + recipe + "' needs calibration sequences: RPTQ clusters channels by their"
                            + " ranges over calibration tokens; pass them to"
                            + " ModelQuantizer.quantize(weights, recipe, calibration)");
        }
        requireSequences(calibration);
        DecoderModel fp = DecoderModel.fromWeights(weights);
        ModelConfig c = weights.config();
        ChannelRangeCollector channelRanges = new ChannelRangeCollector(c.numLayers());
        run(fp, calibration, channelRanges, 0);
        ReorderPlan plan = ReorderPlan.compute(c, channelRanges, settings);
        ClusterRangeCalibrator ranges = new ClusterRangeCalibrator(plan, settings.emaMomentum());
        KvClusterCalibrator kv =
                recipe.kv4()
                        ? new KvClusterCalibrator(plan, KeyReorders.compute(c, channelRanges, settings), settings.emaMomentum())
                        : null;
        run(fp, calibration, kv == null ? ranges : ranges.andThen(kv), calibration.size());

        BitWidths bits = recipe.bits();
        int layers = c.numLayers();
        ClusterActivationQuantizer[][] acts = new ClusterActivationQuantizer[layers][LinearSlot.values().length];
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                ClusterGrid grid = new ClusterGrid(settings.activationBits(slot, bits.activationBits()));
                acts[l][slot.ordinal()] = ranges.quantizer(l, slot, grid);
            }
        }
        ClusterWeightQuantizer w = bits.quantizesWeights() ? new ClusterWeightQuantizer(bits.weightBits()) : null;
        ModelWeights reordered = ReorderFusion.apply(weights, plan);
        ClusteredWeights[][] q = null;
        if (w != null && recipe.gptq()) {
            // The UniformQuantizer is required by Gptq's constructor but unused on fixed grids.
            Gptq gptq = new Gptq(new UniformQuantizer(bits.weightBits(), false), 0, false, false, GPTQ_DAMP);
            q = new SequentialClusterGptq(w, gptq, progress).quantize(reordered, plan, acts, calibration);
        } else if (w != null) {
            q = roundToNearest(reordered, plan, w);
        }
        ClusterKvQuantizer[] cache = null;
        if (kv != null) {
            ClusterGrid kvGrid = new ClusterGrid(KvCacheSettings.BITS);
            cache = new ClusterKvQuantizer[layers];
            for (int l = 0; l < layers; l++) {
                cache[l] = kv.quantizer(l, kvGrid);
            }
        }
        RptqLayers calibrated = new RptqLayers(plan, acts, q, cache);
        return new RptqModel(calibrated.model(reordered), reordered, calibrated);
    }

    /** Every projection's weight rounded to nearest on its per-row, per-cluster grids. */
    private static ClusteredWeights[][] roundToNearest(ModelWeights reordered, ReorderPlan plan, ClusterWeightQuantizer w) {
        ModelConfig c = reordered.config();
        ClusteredWeights[][] q = new ClusteredWeights[c.numLayers()][LinearKind.values().length];
        for (int l = 0; l < q.length; l++) {
            for (LinearKind kind : LinearKind.values()) {
                q[l][kind.ordinal()] = w.quantize(
                        reordered.layers()[l].weight(kind), kind.outFeatures(c), plan.layer(l).input(kind.slot()));
            }
        }
        return q;
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
