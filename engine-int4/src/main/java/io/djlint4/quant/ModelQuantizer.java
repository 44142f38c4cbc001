package io.djlint4.quant;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.KvCacheScheme;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RowTransform;
import io.djlint4.model.TransformedInputLinear;
import io.djlint4.quant.act.ActivationQuantizer;
import io.djlint4.quant.act.PerTokenQuantizer;
import io.djlint4.quant.calib.ActivationPlanner;
import io.djlint4.quant.calib.AdaDimCalibration;
import io.djlint4.quant.calib.CalibrationSet;
import io.djlint4.quant.calib.LayoutChoice;
import io.djlint4.quant.calib.QuantizedLinears;
import io.djlint4.quant.calib.SequentialGptq;
import io.djlint4.quant.calib.WeightPlanner;
import io.djlint4.quant.kv.GroupedKvQuantizer;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.quant.packed.InputQuantization;
import io.djlint4.quant.packed.PackedLinears;
import io.djlint4.quant.fp4.Fp4Model;
import io.djlint4.quant.fp4.Fp4ModelQuantizer;
import io.djlint4.quant.fp4.Fp4Settings;
import io.djlint4.quant.rotation.DenseRotation;
import io.djlint4.quant.rotation.DfrotOptimizer;
import io.djlint4.quant.rotation.HadamardTransform;
import io.djlint4.quant.rotation.HeadMix;
import io.djlint4.quant.rotation.NormOutputRows;
import io.djlint4.quant.rotation.OnlineRotations;
import io.djlint4.quant.rotation.RandomizedHadamard;
import io.djlint4.quant.rotation.Rotation;
import io.djlint4.quant.rotation.RotationFusion;
import io.djlint4.quant.rptq.RptqModel;
import io.djlint4.quant.rptq.RptqQuantizer;
import io.djlint4.quant.rptq.RptqSettings;
import io.djlint4.quant.smooth.RuntimeSmoother;
import io.djlint4.quant.weight.QuantizedMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns full-precision weights into a runnable model following a {@link QuantRecipe}: rotation
 * (QuaRot R1/R2/R4, plus QuaRot's online head-mix before o_proj for {@code rot} and {@code rrs}
 * but not {@code dfrot}) when the method rotates, then every decoder projection with its weights
 * quantized and its input quantized per token (with a zero point per token under {@code asym}),
 * with Runtime Smooth on the o_proj, gate/up and down_proj inputs when the method smooths (q/k/v
 * inputs never, as in RRS): per channel for {@code rs}, by sorted groups of {@link
 * RecipeSettings#smoothGroup} for {@code rrs}. Weights are quantized
 * by RTN, by GPTQ calibrated layer by layer on the rotated full-precision model ({@code gptq}), or
 * with AdaDim's per-layer choice of per-OC or per-IC groups ({@code adadim}, RTN or GPTQ); see
 * {@link WeightScheme} for the grids. RPTQ recipes are handed to {@link RptqQuantizer} with its
 * default settings; with {@code kv4} it rounds the cache with its own static per-cluster grids.
 * Otherwise {@code kv4} rounds the keys and values entering the cache to 4 bits per token ({@link
 * GroupedKvQuantizer}), and rotating methods add R3: queries and keys multiplied per head by the
 * Hadamard {@code Ŝ_hd} after rope, so key outliers are spread before rounding. The classifier
 * stays in full precision, except in LLM-FP4 ({@code fp4}), which {@link Fp4ModelQuantizer} builds
 * with FP4 weights and inputs everywhere, classifier included; LLM-FP4 keeps the cache in full
 * precision (§5.3), so {@code fp4+kv4} adds the same per-token INT4 cache as the integer recipes.
 * The projections of integer and FP4 recipes run on the packed kernels ({@link Execution#PACKED},
 * see {@link #runsPacked}) unless built {@link Execution#SIMULATED}.
 */
public final class ModelQuantizer {

    private final RecipeSettings settings;
    private final KvCacheSettings kvSettings;
    private final Fp4Settings fp4;
    private final CalibrationProgress progress;
    private final Execution execution;

    /**
     * Creates a quantizer with the default {@code kv4} grids and LLM-FP4 search.
     *
     * @param settings the constants to use
     */
    public ModelQuantizer(RecipeSettings settings) {
        this(settings, KvCacheSettings.DEFAULT, Fp4Settings.DEFAULT);
    }

    /**
     * Creates a quantizer with the default LLM-FP4 search.
     *
     * @param settings the constants to use
     * @param kvSettings the grids of the {@code kv4} cache
     */
    public ModelQuantizer(RecipeSettings settings, KvCacheSettings kvSettings) {
        this(settings, kvSettings, Fp4Settings.DEFAULT);
    }

    /**
     * Creates a quantizer with the default {@code kv4} grids.
     *
     * @param settings the constants to use
     * @param fp4 the format and search constants of the {@code fp4} recipe
     */
    public ModelQuantizer(RecipeSettings settings, Fp4Settings fp4) {
        this(settings, KvCacheSettings.DEFAULT, fp4);
    }

    /**
     * Creates a quantizer.
     *
     * @param settings the constants to use
     * @param kvSettings the grids of the {@code kv4} cache
     * @param fp4 the format and search constants of the {@code fp4} recipe
     */
    public ModelQuantizer(RecipeSettings settings, KvCacheSettings kvSettings, Fp4Settings fp4) {
        this(settings, kvSettings, fp4, CalibrationProgress.NONE, Execution.PACKED);
    }

    private ModelQuantizer(
            RecipeSettings settings,
            KvCacheSettings kvSettings,
            Fp4Settings fp4,
            CalibrationProgress progress,
            Execution execution) {
        this.settings = settings;
        this.kvSettings = kvSettings;
        this.fp4 = fp4;
        this.progress = progress;
        this.execution = execution;
    }

    /**
     * Returns this quantizer reporting how far calibration has got (GPTQ, AdaDim, RPTQ and
     * LLM-FP4 report per layer or pass; DFRot's rotation search does not report).
     *
     * @param listener hears of each finished step
     * @return the quantizer
     */
    public ModelQuantizer withProgress(CalibrationProgress listener) {
        return new ModelQuantizer(settings, kvSettings, fp4, listener, execution);
    }

    /**
     * Returns this quantizer building models whose quantized projections run as {@code how} says
     * ({@link Execution#PACKED} unless told otherwise; RPTQ models always run simulated).
     *
     * @param how packed kernels or simulated
     * @return the quantizer
     */
    public ModelQuantizer withExecution(Execution how) {
        return new ModelQuantizer(settings, kvSettings, fp4, progress, how);
    }

    /**
     * Builds the model a recipe without calibration describes.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe the recipe
     * @return the quantized model
     * @throws IllegalArgumentException when the recipe needs calibration data
     */
    public DecoderModel quantize(ModelWeights weights, QuantRecipe recipe) {
        return quantize(weights, recipe, null);
    }

    /**
     * Builds the model a recipe describes.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe the recipe
     * @param calibration the calibration sequences, or {@code null} for recipes that need none
     * @return the quantized model
     * @throws IllegalArgumentException when the recipe needs calibration data and none is given
     */
    public DecoderModel quantize(ModelWeights weights, QuantRecipe recipe, CalibrationSet calibration) {
        return apply(weights, recipe, calibration).model();
    }

    /**
     * Builds the model a recipe describes and reports what calibration decided.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe the recipe
     * @param calibration the calibration sequences, or {@code null} for recipes that need none
     * @return the model, AdaDim's layout choices, LLM-FP4's format choices and what the model was
     *     built from, for {@link io.djlint4.quant.saved.QuantizedModelWriter}
     * @throws IllegalArgumentException when the recipe needs calibration data and none is given
     */
    public QuantizationResult apply(ModelWeights weights, QuantRecipe recipe, CalibrationSet calibration) {
        if (recipe.isNative()) {
            throw new UnsupportedOperationException("'" + recipe + "' runs a GGUF file's own blocks, not float weights:"
                    + " load the file with NativeGgufLoader");
        }
        if (recipe.needsCalibration() && calibration == null) {
            throw new IllegalArgumentException(
                    "recipe '" + recipe + "' needs calibration (gptq, adadim, rptq, dfrot, fp4):"
                            + " pass a CalibrationSet, e.g. RecipeSettings.calibrationSet(tokens) of a"
                            + " tokenized text");
        }
        if (recipe.bits().floatingPoint()) {
            Fp4Model built =
                    new Fp4ModelQuantizer(fp4, progress, execution)
                            .quantize(weights, calibration, kvScheme(recipe, weights.config(), settings, kvSettings));
            QuantizedModelContents contents =
                    new QuantizedModelContents(recipe, settings, kvSettings, weights, null, built.layers(), null);
            return new QuantizationResult(built.model(), List.of(), built.formatChoices(), contents);
        }
        if (recipe.method() == ActivationMethod.RPTQ) {
            RptqModel built =
                    new RptqQuantizer(RptqSettings.DEFAULT, progress).apply(weights, recipe, calibration.sequences());
            QuantizedModelContents contents =
                    new QuantizedModelContents(recipe, settings, kvSettings, built.reordered(), null, null, built.layers());
            return new QuantizationResult(built.model(), List.of(), List.of(), contents);
        }
        ModelConfig c = weights.config();
        ModelWeights w = weights;
        if (recipe.method().rotates()) {
            ModelWeights folded = RotationFusion.foldNorms(weights);
            Rotation r1 =
                    recipe.method() == ActivationMethod.DFROT
                            ? dfrotRotation(folded, calibration)
                            : new RandomizedHadamard(c.hiddenSize(), settings.seed());
            Rotation r2 = HadamardTransform.of(c.headDim(), settings.seed());
            w = RotationFusion.rotate(folded, r1, r2, downRotation(c, settings), headMix(recipe, c, settings));
        }
        if (recipe.planned() && !recipe.bits().quantizesActivations()) {
            return planWeights(recipe, weights, w, calibration);
        }
        QuantizedLinears calibrated = calibrate(w, recipe, onlineRotations(recipe, c, settings), calibration);
        QuantizedLinears quantized = calibrated != null ? calibrated : roundToNearest(w, recipe);
        List<LayoutChoice> layouts = calibrated == null ? List.of() : calibrated.layoutChoices();
        if (recipe.planned()) {
            return planActivations(recipe, weights, w, quantized, calibration, layouts);
        }
        QuantizedModelContents contents = new QuantizedModelContents(recipe, settings, kvSettings, w, quantized);
        return new QuantizationResult(build(contents, execution), layouts, List.of(), contents);
    }

    /**
     * Measures every linear input on the model with one activation width, chooses ({@code auto}),
     * then re-checks the choice end to end: the plan is kept only if it lowers the KL from the
     * full-precision model on the measured sequences. The model the check keeps is the result, so
     * nothing is built twice.
     *
     * @param original the full-precision weights as given
     * @param w the weights the quantized projections were made from (rotated when the recipe rotates)
     */
    private QuantizationResult planActivations(QuantRecipe recipe, ModelWeights original, ModelWeights w,
            QuantizedLinears quantized, CalibrationSet calibration, List<LayoutChoice> layouts) {
        ModelConfig c = w.config();
        int narrow = recipe.bits().activationBits();
        DecoderModel uniform = build(new QuantizedModelContents(recipe, settings, kvSettings, w, quantized, null, null,
                ActivationPlan.uniform(c.numLayers(), narrow), null), execution);
        ActivationPlan plan = new ActivationPlanner(progress).plan(uniform, w, onlineRotations(recipe, c, settings),
                (slot, bits) -> activationQuantizer(recipe, settings, slot, bits), narrow, calibration);
        DecoderModel planned = build(new QuantizedModelContents(recipe, settings, kvSettings, w, quantized, null, null,
                plan, null), execution);
        DecoderModel reference = DecoderModel.fromWeights(original);
        List<long[]> check = ActivationPlanner.measuredSequences(calibration);
        boolean better = ActivationPlanner.meanKl(planned, reference, check)
                < ActivationPlanner.meanKl(uniform, reference, check);
        ActivationPlan kept = better ? plan : plan.withWidth(narrow);
        QuantizedModelContents contents =
                new QuantizedModelContents(recipe, settings, kvSettings, w, quantized, null, null, kept, null);
        return new QuantizationResult(better ? planned : uniform, layouts, List.of(), contents);
    }

    /**
     * Chooses each projection's group size under the bit budget ({@code auto} on weight-only
     * widths), then re-checks the plan end to end against the recipe's own group size: the plan is
     * kept if it lowers the KL from the full-precision model on the measured sequences, if the
     * recipe's own groups exceed the budget, or if it keeps them everywhere.
     *
     * @param original the full-precision weights as given
     * @param w the weights the projections are quantized from (rotated when the recipe rotates)
     */
    private QuantizationResult planWeights(
            QuantRecipe recipe, ModelWeights original, ModelWeights w, CalibrationSet calibration) {
        ModelConfig c = w.config();
        WeightScheme scheme = WeightScheme.of(recipe, settings);
        WeightPlan plan = new WeightPlanner(progress).plan(w, onlineRotations(recipe, c, settings),
                (g, m, rows, cols) -> scheme.withGroupSize(g).roundToNearest(m, rows, cols), scheme.groupSize(),
                settings.weightBudget(), calibration);
        QuantizedLinears planned = new QuantizedLinears(c.numLayers());
        QuantizedLinears uniform = roundToNearest(w, recipe);
        long[] uniformBits = new long[plan.weights().size()];
        int[] uniformGroups = new int[plan.weights().size()];
        long weightCount = 0;
        boolean sameAsUniform = true;
        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                int rows = kind.outFeatures(c);
                int cols = kind.inFeatures(c);
                int p = l * LinearKind.values().length + kind.ordinal();
                uniformBits[p] = uniform.get(l, kind).storedBits();
                uniformGroups[p] = Math.min(scheme.groupSize(), cols);
                weightCount += (long) rows * cols;
                // round to nearest is deterministic: a projection at the recipe's own groups is the uniform one
                int group = plan.groupSize(l, kind);
                sameAsUniform &= group == uniformGroups[p];
                planned.put(l, kind, group == uniformGroups[p]
                        ? uniform.get(l, kind)
                        : scheme.withGroupSize(group).roundToNearest(w.layers()[l].weight(kind), rows, cols));
            }
        }
        long uniformTotal = Arrays.stream(uniformBits).sum();
        boolean uniformFits = uniformTotal <= Math.floor(settings.weightBudget() * weightCount);
        QuantizedModelContents plannedContents =
                new QuantizedModelContents(recipe, settings, kvSettings, w, planned, null, null, null, plan);
        DecoderModel plannedModel = build(plannedContents, execution);
        // a plan that keeps the recipe's own groups everywhere is the uniform model: nothing to check
        if (!uniformFits || sameAsUniform) {
            return new QuantizationResult(plannedModel, List.of(), List.of(), plannedContents);
        }
        QuantizedModelContents uniformContents = new QuantizedModelContents(recipe, settings, kvSettings, w, uniform,
                null, null, null, plan.atStart(uniformGroups, uniformBits));
        DecoderModel uniformModel = build(uniformContents, execution);
        DecoderModel reference = DecoderModel.fromWeights(original);
        List<long[]> check = ActivationPlanner.measuredSequences(calibration);
        boolean better = ActivationPlanner.meanKl(plannedModel, reference, check)
                < ActivationPlanner.meanKl(uniformModel, reference, check);
        return better
                ? new QuantizationResult(plannedModel, List.of(), List.of(), plannedContents)
                : new QuantizationResult(uniformModel, List.of(), List.of(), uniformContents);
    }

    /**
     * Builds the runnable model from what a quantizer produced, or from what was read back from a
     * saved quantized model: the same weights, codes and settings always give the same model, bit
     * for bit, since the online parts (the head-mix before o_proj, R4 before down_proj, the
     * activation quantizers, R3 and the 4-bit cache) follow from the recipe and the settings.
     *
     * @param contents the transformed weights and quantized projections
     * @return the model
     */
    public static DecoderModel build(QuantizedModelContents contents) {
        return build(contents, Execution.PACKED);
    }

    /**
     * Builds the runnable model like {@link #build(QuantizedModelContents)}, on the packed kernels
     * or simulated. The two agree up to float summation order: the weight codes and the
     * activation codes are the same.
     *
     * @param contents the transformed weights and quantized projections
     * @param execution how the quantized projections run
     * @return the model
     */
    public static DecoderModel build(QuantizedModelContents contents, Execution execution) {
        QuantRecipe recipe = contents.recipe();
        RecipeSettings settings = contents.settings();
        ModelConfig c = contents.weights().config();
        if (contents.fp4() != null) {
            return contents.fp4().model(contents.weights(), kvScheme(recipe, c, settings, contents.kvSettings()), execution);
        }
        if (contents.rptq() != null) {
            return contents.rptq().model(contents.weights());
        }
        LinearFactory linears = linears(contents, execution);
        return DecoderModel.fromWeights(contents.weights(), linears, kvScheme(recipe, c, settings, contents.kvSettings()));
    }

    /**
     * Returns whether a recipe's quantized projections run on the packed kernels when built {@link
     * Execution#PACKED}: every recipe with quantized weights, integer or FP4, except RPTQ's
     * (per-cluster grids); full-precision weights run in float.
     *
     * @param recipe the recipe
     * @return {@code true} when its projections run packed
     */
    public static boolean runsPacked(QuantRecipe recipe) {
        return recipe.bits().quantizesWeights() && recipe.method() != ActivationMethod.RPTQ;
    }

    /** R4: the Hadamard in front of down_proj, fused into its weights and applied online to its input. */
    private static Rotation downRotation(ModelConfig c, RecipeSettings settings) {
        return HadamardTransform.of(c.intermediateSize(), settings.seed());
    }

    /** QuaRot's online head-mix in front of o_proj; DFRot leaves it out (§3.2), QuaRot and RRS keep it. */
    private static Rotation headMix(QuantRecipe recipe, ModelConfig c, RecipeSettings settings) {
        return recipe.method() == ActivationMethod.DFROT
                ? null
                : new HeadMix(HadamardTransform.of(c.numHeads(), settings.seed()), c.numHeads(), c.headDim());
    }

    private static OnlineRotations onlineRotations(QuantRecipe recipe, ModelConfig c, RecipeSettings settings) {
        if (!recipe.method().rotates()) {
            return OnlineRotations.NONE;
        }
        Rotation headMix = headMix(recipe, c, settings);
        return new OnlineRotations(headMix == null ? null : headMix.online(), downRotation(c, settings).online());
    }

    /** RTN with the clipping search for every projection, or {@code null} when weights stay full precision. */
    private QuantizedLinears roundToNearest(ModelWeights w, QuantRecipe recipe) {
        if (!recipe.bits().quantizesWeights()) {
            return null;
        }
        WeightScheme scheme = WeightScheme.of(recipe, settings);
        ModelConfig c = w.config();
        QuantizedLinears result = new QuantizedLinears(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                result.put(l, kind,
                        scheme.roundToNearest(w.layers()[l].weight(kind), kind.outFeatures(c), kind.inFeatures(c)));
            }
        }
        return result;
    }

    /**
     * DFRot's R1: the randomized Hadamard refined on the norm outputs of the first calibration
     * sequence (the paper calibrates on one sequence).
     */
    private Rotation dfrotRotation(ModelWeights folded, CalibrationSet calibration) {
        int d = folded.config().hiddenSize();
        float[] rows =
                NormOutputRows.collect(DecoderModel.fromWeights(folded), calibration.sequences().subList(0, 1));
        int n = rows.length / d;
        DfrotOptimizer optimizer = new DfrotOptimizer(settings.dfrotAlpha(), settings.dfrotIterations());
        double[] r0 = new RandomizedHadamard(d, settings.seed()).toMatrix();
        DfrotOptimizer.Result r = optimizer.optimize(rows, n, d, optimizer.massiveRows(rows, n, d), r0);
        return new DenseRotation(r.rotation(), d);
    }

    /**
     * The cache treatment of {@code kv4}: R3 only with a rotating method, as in QuaRot, RRS and
     * DFRot, where it is the same {@code Ŝ_hd} as R2.
     */
    private static KvCacheScheme kvScheme(
            QuantRecipe recipe, ModelConfig c, RecipeSettings settings, KvCacheSettings kvSettings) {
        if (!recipe.kv4()) {
            return KvCacheScheme.FULL_PRECISION;
        }
        RowTransform r3 = recipe.method().rotates() ? HadamardTransform.of(c.headDim(), settings.seed()).online() : null;
        return new KvCacheScheme(r3, new GroupedKvQuantizer(c.numKvHeads(), c.headDim(), kvSettings));
    }

    private QuantizedLinears calibrate(
            ModelWeights w, QuantRecipe recipe, OnlineRotations online, CalibrationSet calibration) {
        // Other methods calibrate too (dfrot, rptq, fp4), but only these two calibrate weights.
        if (!recipe.gptq() && !recipe.adaDim()) {
            return null;
        }
        WeightScheme scheme = WeightScheme.of(recipe, settings);
        if (recipe.adaDim()) {
            return new AdaDimCalibration(scheme.rtn(), recipe.gptq() ? scheme.gptq() : null, progress)
                    .quantize(w, online, calibration);
        }
        return new SequentialGptq(scheme.gptq(), scheme.fixedGrids(), progress).quantize(w, online, calibration);
    }

    /**
     * The projections of a model {@link #build} makes.
     *
     * @param contents the transformed weights and quantized projections
     * @param execution how the quantized projections run
     * @return the factory of the decoder projections
     */
    static LinearFactory linears(QuantizedModelContents contents, Execution execution) {
        QuantRecipe recipe = contents.recipe();
        RecipeSettings settings = contents.settings();
        ModelConfig c = contents.weights().config();
        return linears(recipe, settings, onlineRotations(recipe, c, settings), contents.linears(),
                contents.activationPlan(), execution);
    }

    private static LinearFactory linears(
            QuantRecipe recipe,
            RecipeSettings settings,
            OnlineRotations online,
            QuantizedLinears quantized,
            ActivationPlan plan,
            Execution execution) {
        // without a plan (null) every input takes the recipe's width
        boolean quantizesActivations = recipe.bits().quantizesActivations();
        return (layer, kind, weight, bias, out, in) -> {
            RowTransform transform = online.forSlot(kind.slot());
            if (quantized == null && !quantizesActivations && transform == null) {
                return new DenseLinear(weight, bias, out, in);
            }
            int bits = plan != null ? plan.bits(layer, kind.slot()) : recipe.bits().activationBits();
            // Asked once: a saved model's projections are read from its file on each request.
            QuantizedMatrix q = quantized != null ? quantized.get(layer, kind) : null;
            if (execution == Execution.PACKED && q != null) {
                Optional<LinearLayer> packed =
                        PackedLinears.create(q, bias, packedInputs(recipe, settings, kind.slot(), bits));
                if (packed.isPresent()) {
                    return transform == null ? packed.get() : new TransformedInputLinear(transform, packed.get());
                }
            }
            float[] w = q != null ? q.dequantize() : weight;
            long weightBits = q != null ? q.storedBits() : 32L * out * in;
            ActivationQuantizer acts =
                    quantizesActivations ? activationQuantizer(recipe, settings, kind.slot(), bits) : null;
            return new SimulatedQuantLinear(transform, acts, w, bias, out, in, weightBits);
        };
    }

    /**
     * The activation quantizer of one slot at one width: per token (or per group of its channels),
     * after Runtime Smooth where the recipe smooths.
     */
    private static ActivationQuantizer activationQuantizer(
            QuantRecipe recipe, RecipeSettings settings, LinearSlot slot, int bits) {
        PerTokenQuantizer perToken = new PerTokenQuantizer(bits, !recipe.asymmetricActivations(),
                settings.activationClip(), recipe.activationGroups().size());
        return smoothed(recipe, slot) ? new RuntimeSmoother(smoothGroup(recipe, settings), perToken) : perToken;
    }

    /** Runtime Smooth runs in front of every projection but q/k/v, whose inputs are quantized as they are. */
    private static boolean smoothed(QuantRecipe recipe, LinearSlot slot) {
        return recipe.method().smooths() && slot != LinearSlot.QKV;
    }

    private static InputQuantization packedInputs(QuantRecipe recipe, RecipeSettings settings, LinearSlot slot, int bits) {
        if (!recipe.bits().quantizesActivations()) {
            return InputQuantization.FULL_PRECISION;
        }
        InputQuantization inputs = smoothed(recipe, slot)
                ? InputQuantization.runtimeSmooth(bits, settings.activationClip(), smoothGroup(recipe, settings))
                : InputQuantization.perToken(bits, settings.activationClip());
        return inputs.withSymmetric(!recipe.asymmetricActivations()).withTokenGroup(recipe.activationGroups().size());
    }

    /**
     * Sorted channels per Runtime Smooth group: the RRS reference smooths each channel by its own
     * maximum in plain RS and uses groups ({@link RecipeSettings#smoothGroup}) only after rotation.
     */
    static int smoothGroup(QuantRecipe recipe, RecipeSettings settings) {
        return recipe.method() == ActivationMethod.RRS ? settings.smoothGroup() : 1;
    }

}
