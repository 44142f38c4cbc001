package io.djlint4.quant;

import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.QuantizedLinears;
import io.djlint4.quant.fp4.Fp4Layers;
import io.djlint4.quant.kv.KvCacheSettings;
import io.djlint4.quant.rptq.RptqLayers;

/**
 * Everything a quantized model is built from, by {@link ModelQuantizer#build}: what a saved
 * quantized model stores. For the integer recipes, rotations R1 and R2 (randomized Hadamard or
 * DFRot's calibrated dense matrix) are already fused into the weights; R4 and R3, which also run
 * online, follow from {@link RecipeSettings#seed()}. LLM-FP4 ({@code fp4}) and RPTQ models carry
 * their calibrated layers instead of {@code linears}.
 *
 * @param recipe the recipe
 * @param settings the constants the recipe was applied with (seed, clip ratio, smoothing group)
 * @param kvSettings the grids of the {@code kv4} cache
 * @param weights the weights after norm folding and rotation (RPTQ: after reordering); the
 *     projection weights in it are only used when no quantized form of them is given
 * @param linears the codes and grids of every decoder projection of the integer recipes, or
 *     {@code null} when weights stay in full precision ({@code fp32} recipes), for {@code fp4}
 *     and for {@code rptq}
 * @param fp4 the FP4 projections and classifier of an {@code fp4} recipe, else {@code null}
 * @param rptq the reorders, grids and codes of an {@code rptq} recipe, else {@code null}
 * @param activationPlan each linear input's activation width for an {@code auto} W·A recipe, else
 *     {@code null} (every input at the recipe's width)
 * @param weightPlan each projection's group size and what it was chosen by for an {@code auto}
 *     weight-only recipe, else {@code null} (the groups are those of {@code linears} either way)
 */
public record QuantizedModelContents(
        QuantRecipe recipe,
        RecipeSettings settings,
        KvCacheSettings kvSettings,
        ModelWeights weights,
        QuantizedLinears linears,
        Fp4Layers fp4,
        RptqLayers rptq,
        ActivationPlan activationPlan,
        WeightPlan weightPlan) {

    /**
     * Creates the contents of a recipe with one activation width.
     *
     * @param recipe the recipe
     * @param settings the constants the recipe was applied with
     * @param kvSettings the grids of the {@code kv4} cache
     * @param weights the weights after norm folding and rotation (RPTQ: after reordering)
     * @param linears the codes and grids of every decoder projection, or {@code null}
     * @param fp4 the FP4 layers of an {@code fp4} recipe, else {@code null}
     * @param rptq the RPTQ layers of an {@code rptq} recipe, else {@code null}
     */
    public QuantizedModelContents(
            QuantRecipe recipe, RecipeSettings settings, KvCacheSettings kvSettings, ModelWeights weights,
            QuantizedLinears linears, Fp4Layers fp4, RptqLayers rptq) {
        this(recipe, settings, kvSettings, weights, linears, fp4, rptq, null, null);
    }

    /**
     * Creates the contents of an integer recipe.
     *
     * @param recipe the recipe
     * @param settings the constants the recipe was applied with
     * @param kvSettings the grids of the {@code kv4} cache
     * @param weights the weights after norm folding and rotation
     * @param linears the codes and grids of every decoder projection, or {@code null}
     */
    public QuantizedModelContents(
            QuantRecipe recipe, RecipeSettings settings, KvCacheSettings kvSettings, ModelWeights weights,
            QuantizedLinears linears) {
        this(recipe, settings, kvSettings, weights, linears, null, null, null, null);
    }
}
