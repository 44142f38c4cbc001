package io.djlint4.quant;

import io.djlint4.model.ModelWeights;
import io.djlint4.quant.calib.QuantizedLinears;
import io.djlint4.quant.kv.KvCacheSettings;

/**
 * Everything a quantized model of the integer recipes is built from, by {@link
 * ModelQuantizer#build}: what a saved quantized model stores. Rotations R1 and R2 (randomized
 * Hadamard or DFRot's calibrated dense matrix) are already fused into the weights; R4 and R3,
 * which also run online, follow from {@link RecipeSettings#seed()}.
 *
 * @param recipe the recipe
 * @param settings the constants the recipe was applied with (seed, clip ratio, smoothing group)
 * @param kvSettings the grids of the {@code kv4} cache
 * @param weights the weights after norm folding and rotation; the projection weights in it are
 *     only used when {@code linears} is {@code null}
 * @param linears the codes and grids of every decoder projection, or {@code null} when weights
 *     stay in full precision ({@code fp32} recipes)
 */
public record QuantizedModelContents(
        QuantRecipe recipe,
        RecipeSettings settings,
        KvCacheSettings kvSettings,
        ModelWeights weights,
        QuantizedLinears linears) {}
