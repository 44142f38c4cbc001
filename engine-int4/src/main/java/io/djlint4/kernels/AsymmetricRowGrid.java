package io.djlint4.kernels;

/**
 * The asymmetric grid of one token (ALGORITHMS.md §2.1 {@code fitAsym}, as QuaRot's asymmetric
 * activation quantizer fits it): {@code lo = min(min(x), 0)·clip}, {@code hi = max(max(x), 0)·clip},
 * {@code s = max(hi − lo, 1e-5) / (2^b − 1)}, {@code z = rint(−lo / s)}; a value {@code v} gets
 * code {@code clamp(rint(v / s) + z, 0, 2^b − 1)} and stands for {@code (code − z)·s}. The range is
 * floored at 1e-5 rather than replaced by [−1, 1] for an all-zero row, as the quantization
 * methods' reference ({@code UniformQuantizer}) does: both give zeros for such a row.
 *
 * <p>Codes and zero point are kept centred, minus {@code 2^(b−1)}, so that 8-bit codes fit a signed
 * byte and every kernel sees codes in the range of symmetric ones; their difference, and so what
 * they stand for, is unchanged.
 *
 * @param scale the step {@code s}
 * @param centredZero {@code z − 2^(b−1)}
 */
record AsymmetricRowGrid(float scale, int centredZero) {

    private static final float MIN_RANGE = 1e-5f;

    /**
     * Fits the grid to a row's extremes.
     *
     * @param min the row's smallest value
     * @param max the row's largest value
     * @param clip the clip ratio, in (0, 1]
     * @param bits the code width
     * @return the grid
     */
    static AsymmetricRowGrid fit(float min, float max, float clip, int bits) {
        float lo = Math.min(min, 0f) * clip;
        float hi = Math.max(max, 0f) * clip;
        float s = Math.max(hi - lo, MIN_RANGE) / ((1 << bits) - 1);
        return new AsymmetricRowGrid(s, (int) Math.rint(-lo / s) - (1 << (bits - 1)));
    }
}
