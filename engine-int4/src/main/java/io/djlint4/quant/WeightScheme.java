package io.djlint4.quant;

import io.djlint4.quant.weight.DoubleQuantizedWeights;
import io.djlint4.quant.weight.DoubleQuantizer;
import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.weight.RtnQuantizer;
import io.djlint4.quant.weight.UniformQuantizer;

/**
 * How a recipe's weights are gridded. W·A recipes follow the rotation papers: symmetric, one grid
 * per output channel unless a group token asks for groups, GPTQ without act-order. Weight-only
 * recipes follow AdaDim and its RTN/GPTQ baselines: asymmetric groups of {@link
 * RecipeSettings#weightGroupSize} unless a group token says otherwise, GPTQ with act-order (static
 * groups per-OC); {@code wasym} gives W·A recipes the weight-only grids and act-order. All use the
 * clipping search when the settings ask for it.
 *
 * @param grid the integer grid
 * @param groupSize weights per grid, 0 for whole rows
 * @param clipSearch whether grids are fitted with the clipping search
 * @param actOrder whether GPTQ visits columns by decreasing Hessian diagonal
 * @param damp GPTQ's relative dampening
 * @param doubleQuantized whether round-to-nearest fits {@link DoubleQuantizedWeights} instead of the
 *     integer grid ({@code dq})
 */
record WeightScheme(
        UniformQuantizer grid, int groupSize, boolean clipSearch, boolean actOrder, double damp,
        boolean doubleQuantized) {

    static WeightScheme of(QuantRecipe recipe, RecipeSettings s) {
        BitWidths bits = recipe.bits();
        boolean asymmetric = !bits.quantizesActivations() || recipe.asymmetricWeights();
        return new WeightScheme(
                new UniformQuantizer(bits.weightBits(), !asymmetric),
                recipe.groups().size(bits, s),
                s.weightClipSearch(),
                asymmetric,
                s.gptqDamp(),
                recipe.doubleQuantized());
    }

    /** The same scheme with another group size ({@code auto}'s candidates). */
    WeightScheme withGroupSize(int size) {
        return new WeightScheme(grid, size, clipSearch, actOrder, damp, doubleQuantized);
    }

    RtnQuantizer rtn() {
        return new RtnQuantizer(grid, groupSize, clipSearch);
    }

    /** Round-to-nearest of one matrix onto the recipe's grids. */
    QuantizedMatrix roundToNearest(float[] w, int rows, int cols) {
        return doubleQuantized ? fixedGrids().quantize(w, rows, cols) : rtn().quantize(w, rows, cols);
    }

    /**
     * Returns the quantizer of the grids GPTQ keeps fixed and rounds onto ({@code dq}).
     *
     * @return the quantizer, or {@code null} when GPTQ fits the integer grids itself
     */
    DoubleQuantizer fixedGrids() {
        return doubleQuantized ? new DoubleQuantizer(grid.bits(), groupSize) : null;
    }

    Gptq gptq() {
        return new Gptq(grid, groupSize, actOrder, clipSearch, damp);
    }
}
