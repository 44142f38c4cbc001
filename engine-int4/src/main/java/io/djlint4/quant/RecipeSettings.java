package io.djlint4.quant;

/**
 * The tunable constants of recipe application, with the values the papers' code uses.
 *
 * @param seed the seed of random rotations (QuaRot's default is 0)
 * @param activationClip the per-token clip ratio (1.0 in the RRS and DFRot commands)
 * @param smoothGroup channels per Runtime Smooth group (128)
 * @param weightClipSearch whether weight grids use the clipping search ({@code w_clip})
 */
public record RecipeSettings(
        long seed, float activationClip, int smoothGroup, boolean weightClipSearch) {

    /** The papers' defaults. */
    public static final RecipeSettings DEFAULT = new RecipeSettings(0, 1f, 128, true);
}
