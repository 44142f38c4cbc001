package io.djlint4.quant.rotation;

/**
 * QuaRot's online head-mix on the o_proj input (§3.3–3.4 of ALGORITHMS.md): for every position
 * {@code c} inside a head, the vector of that position across the heads is rotated by an order
 * {@code heads} matrix, i.e. the row-form rotation {@code (M_heads ⊗ I_headDim)} on a row laid out
 * as {@code head·headDim + c}. The same rotation is folded into o_proj's weight rows, so it cancels
 * in full precision and spreads per-head outliers across heads before the input is quantized.
 */
public final class HeadMix implements Rotation {

    private final Rotation acrossHeads;
    private final int heads;
    private final int headDim;

    /**
     * Creates the head-mix.
     *
     * @param acrossHeads the rotation of order {@code heads} applied across heads
     * @param heads the number of query heads
     * @param headDim the dimension of one head
     */
    public HeadMix(Rotation acrossHeads, int heads, int headDim) {
        if (acrossHeads.size() != heads) {
            throw new IllegalArgumentException(
                    "head-mix rotation has order " + acrossHeads.size() + ", the model has " + heads + " heads");
        }
        this.acrossHeads = acrossHeads;
        this.heads = heads;
        this.headDim = headDim;
    }

    @Override
    public int size() {
        return heads * headDim;
    }

    @Override
    public void rotate(double[] x, int off) {
        double[] v = new double[heads];
        for (int c = 0; c < headDim; c++) {
            for (int h = 0; h < heads; h++) {
                v[h] = x[off + h * headDim + c];
            }
            acrossHeads.rotate(v, 0);
            for (int h = 0; h < heads; h++) {
                x[off + h * headDim + c] = v[h];
            }
        }
    }
}
