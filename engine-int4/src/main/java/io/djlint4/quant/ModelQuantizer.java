package io.djlint4.quant;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.DenseLinear;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.model.RowTransform;
import io.djlint4.quant.act.ActivationQuantizer;
import io.djlint4.quant.act.PerTokenQuantizer;
import io.djlint4.quant.rotation.HadamardTransform;
import io.djlint4.quant.rotation.RandomizedHadamard;
import io.djlint4.quant.rotation.Rotation;
import io.djlint4.quant.rotation.RotationFusion;
import io.djlint4.quant.rptq.RptqQuantizer;
import io.djlint4.quant.rptq.RptqSettings;
import io.djlint4.quant.smooth.RuntimeSmoother;
import io.djlint4.quant.weight.RtnQuantizer;
import io.djlint4.quant.weight.UniformQuantizer;
import java.util.List;

/**
 * Turns full-precision weights into a runnable model following a {@link QuantRecipe}: rotation
 * (QuaRot R1/R2/R4) when the method rotates, then every decoder projection with its weights
 * quantized per output channel and its input quantized per token, with Runtime Smooth on the
 * o_proj, gate/up and down_proj inputs when the method smooths (q/k/v inputs never, as in RRS).
 * RPTQ recipes are handed to {@link RptqQuantizer} with its default settings and need calibration
 * sequences. The classifier stays in full precision.
 */
public final class ModelQuantizer {

    private final RecipeSettings settings;

    /**
     * Creates a quantizer.
     *
     * @param settings the constants to use
     */
    public ModelQuantizer(RecipeSettings settings) {
        this.settings = settings;
    }

    /**
     * Builds the model a recipe describes, for recipes that need no calibration data.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe the recipe
     * @return the quantized model
     * @throws IllegalArgumentException if the recipe needs calibration ({@code rptq})
     * @throws UnsupportedOperationException for recipe parts not available yet, naming them
     */
    public DecoderModel quantize(ModelWeights weights, QuantRecipe recipe) {
        return quantize(weights, recipe, null);
    }

    /**
     * Builds the model a recipe describes, calibrating on token sequences where the recipe needs
     * it; other recipes ignore them.
     *
     * @param weights the full-precision weights (not modified)
     * @param recipe the recipe
     * @param calibration token sequences, each run from an empty cache, or {@code null}
     * @return the quantized model
     * @throws IllegalArgumentException if the recipe needs calibration and none is given
     * @throws UnsupportedOperationException for recipe parts not available yet, naming them
     */
    public DecoderModel quantize(ModelWeights weights, QuantRecipe recipe, List<long[]> calibration) {
        requireSupported(recipe);
        if (recipe.method() == ActivationMethod.RPTQ) {
            return new RptqQuantizer(RptqSettings.DEFAULT).quantize(weights, recipe, calibration);
        }
        ModelConfig c = weights.config();
        ModelWeights w = weights;
        RowTransform downTransform = null;
        if (recipe.method().rotates()) {
            Rotation r1 = new RandomizedHadamard(c.hiddenSize(), settings.seed());
            Rotation r2 = HadamardTransform.of(c.headDim(), settings.seed());
            Rotation r4 = HadamardTransform.of(c.intermediateSize(), settings.seed());
            w = RotationFusion.rotate(RotationFusion.foldNorms(weights), r1, r2, r4);
            downTransform = r4.online();
        }
        return DecoderModel.fromWeights(w, linears(recipe, downTransform));
    }

    private LinearFactory linears(QuantRecipe recipe, RowTransform downTransform) {
        BitWidths bits = recipe.bits();
        RtnQuantizer weightQuantizer =
                bits.quantizesWeights()
                        ? new RtnQuantizer(
                                new UniformQuantizer(bits.weightBits(), true), 0, settings.weightClipSearch())
                        : null;
        PerTokenQuantizer perToken =
                bits.quantizesActivations()
                        ? new PerTokenQuantizer(bits.activationBits(), true, settings.activationClip())
                        : null;
        RuntimeSmoother smoother =
                recipe.method().smooths() ? new RuntimeSmoother(settings.smoothGroup(), perToken) : null;
        return (layer, kind, weight, bias, out, in) -> {
            RowTransform transform = kind == LinearKind.DOWN ? downTransform : null;
            if (weightQuantizer == null && perToken == null && transform == null) {
                return new DenseLinear(weight, bias, out, in);
            }
            float[] w = weightQuantizer == null ? weight : weightQuantizer.quantize(weight, out, in).dequantize();
            ActivationQuantizer acts = smoother != null && kind.slot() != LinearSlot.QKV ? smoother : perToken;
            return new SimulatedQuantLinear(transform, acts, w, bias, out, in);
        };
    }

    private static void requireSupported(QuantRecipe recipe) {
        StringBuilder missing = new StringBuilder();
        if (recipe.bits().floatingPoint()) {
            missing.append(" fp4");
        }
        switch (recipe.method()) {
            case DFROT:
                missing.append(' ').append(recipe.method().token());
                break;
            default:
                break;
        }
        if (recipe.gptq()) {
            missing.append(" gptq");
        }
        if (recipe.adaDim()) {
            missing.append(" adadim");
        }
        if (recipe.kv4()) {
            missing.append(" kv4");
        }
        if (missing.length() > 0) {
            throw new UnsupportedOperationException(
                    "recipe '" + recipe + "': not implemented yet:" + missing);
        }
    }
}
