package io.djlint4.quant;

import io.djlint4.quant.gguf.NativeGgufLoader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a checkpoint runs when no recipe is named: a GGUF file whose matrices are quantized runs its
 * own blocks ({@code native}); a float checkpoint runs {@link #RECOMMENDED}, the 4-bit recipe that
 * measured the best trade of speed and accuracy without calibration (results/smollm2-135m-recipes.md).
 * Full precision stays available as {@code fp32}.
 */
public final class DefaultRecipe {

    /**
     * The recipe float checkpoints run by default: 4-bit weights in groups of 32 input channels on
     * grids with a float minimum, their steps and minimums coded in 6 and 8 bits ({@code dq}, 4.5
     * bits per weight), times float inputs. It needs no calibration, so it loads as fast as the
     * weights can be rounded; on SmolLM2 it decodes as fast as {@code w4a8+g32+dq}, prefills faster
     * and loses about a seventh of its KL.
     */
    public static final QuantRecipe RECOMMENDED = QuantRecipe.parse("w4a16+g32+dq");

    private DefaultRecipe() {}

    /**
     * Returns the recipe a checkpoint runs when none is named.
     *
     * @param checkpoint the checkpoint file or directory (not a saved quantized model)
     * @return {@link QuantRecipe#NATIVE} for a GGUF file with quantized matrices, else {@link #RECOMMENDED}
     * @throws IOException if the file cannot be read
     */
    public static QuantRecipe forCheckpoint(Path checkpoint) throws IOException {
        return NativeGgufLoader.hasQuantizedMatrices(checkpoint) ? QuantRecipe.NATIVE : RECOMMENDED;
    }
}
