package io.djlint4.quant.weight;

import io.djlint4.kernels.Bf16Matrix;
import io.djlint4.kernels.KernelThreads;

/**
 * Round-to-nearest onto {@link DoubleQuantizedWeights}: each group starts from its own range
 * ({@code min = lo}, {@code step = (hi − lo)/(2^bits − 1)}, as ggml's Q4_1 fits it) or that range
 * shrunk about its middle, whichever codes with the least squared error (the two coded against
 * the row's largest), and then, for a few rounds, the codes are re-rounded, the
 * minimum is refitted as the mean residual and the step by least squares, both coded again; a round
 * is kept only if it lowers the group's squared error. On weights that already sit on a Q4_1 grid
 * this finds that grid up to the coding of its step and minimum.
 */
public final class DoubleQuantizer {

    /** Refinement rounds after the range fit. */
    static final int ROUNDS = 2;

    /** Fractions of a group's range tried besides the whole range; the smallest error wins. */
    private static final float[] SHRINKS = {0.95f, 0.9f, 0.85f, 0.8f, 0.75f};

    /** The smallest step of a row, so constant rows keep a valid grid (the integer grids clamp too). */
    private static final float MIN_STEP = 1e-5f / 15;

    private final int bits;
    private final int groupSize;

    /**
     * Creates the quantizer.
     *
     * @param bits bits per code, 2 to 8
     * @param groupSize columns per group, or 0 for one group per row
     */
    public DoubleQuantizer(int bits, int groupSize) {
        if (bits < 2 || bits > 8 || groupSize < 0) {
            throw new IllegalArgumentException("double quantization takes 2 to 8 bits and groups >= 0, got " + bits
                    + " bits and groups of " + groupSize);
        }
        this.bits = bits;
        this.groupSize = groupSize;
    }

    /**
     * Quantizes a matrix.
     *
     * @param w the weights, row-major {@code [rows, cols]}
     * @param rows the number of rows
     * @param cols the number of columns
     * @return the codes and coded grids
     */
    public DoubleQuantizedWeights quantize(float[] w, int rows, int cols) {
        int g = groupSize == 0 || groupSize > cols ? cols : groupSize;
        int groups = (cols + g - 1) / g;
        byte[] codes = new byte[rows * cols];
        byte[] stepCodes = new byte[rows * groups];
        byte[] minCodes = new byte[rows * groups];
        float[] stepMax = new float[rows];
        float[] minMax = new float[rows];
        KernelThreads.parallelFor(rows, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                RowFit fit = new RowFit(w, r * cols, cols, g);
                stepMax[r] = fit.stepMax;
                minMax[r] = fit.minMax;
                fit.codeGroups(r * groups, codes, stepCodes, minCodes);
            }
        });
        return new DoubleQuantizedWeights(rows, cols, g, bits, codes, stepCodes, minCodes, stepMax, minMax);
    }

    /** One row: its groups' ranges and its two maxima, then each group's coded grid and codes. */
    private final class RowFit {
        private final float[] w;
        private final int off;
        private final int cols;
        private final int g;
        private final int maxCode = (1 << bits) - 1;
        private final float[] steps;
        private final float[] mins;
        /** The row's largest step, rounded to bfloat16: what step code 63 stands for. */
        final float stepMax;
        /** The row's largest minimum in magnitude, rounded to bfloat16: what minimum code 127 stands for. */
        final float minMax;

        RowFit(float[] w, int off, int cols, int g) {
            this.w = w;
            this.off = off;
            this.cols = cols;
            this.g = g;
            int groups = (cols + g - 1) / g;
            steps = new float[groups];
            mins = new float[groups];
            float largestStep = MIN_STEP;
            float largestMin = 0f;
            for (int gi = 0; gi < groups; gi++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int c = gi * g; c < Math.min(cols, gi * g + g); c++) {
                    lo = Math.min(lo, w[off + c]);
                    hi = Math.max(hi, w[off + c]);
                }
                steps[gi] = (hi - lo) / maxCode;
                mins[gi] = lo;
                largestStep = Math.max(largestStep, steps[gi]);
                largestMin = Math.max(largestMin, Math.abs(lo));
            }
            stepMax = Bf16Matrix.roundToBf16(largestStep);
            minMax = Bf16Matrix.roundToBf16(largestMin);
        }

        /** Writes each group's step and minimum codes from {@code grid} on, and the row's codes. */
        void codeGroups(int grid, byte[] codes, byte[] stepCodes, byte[] minCodes) {
            for (int gi = 0; gi < steps.length; gi++) {
                int from = gi * g;
                int to = Math.min(cols, from + g);
                int s = stepCode(steps[gi]);
                int m = minCode(mins[gi]);
                double best = error(from, to, s, m);
                // the range shrunk about its middle, which long groups of float-trained weights prefer
                float middle = mins[gi] + steps[gi] * maxCode / 2;
                for (float shrink : SHRINKS) {
                    int s2 = stepCode(steps[gi] * shrink);
                    int m2 = minCode(middle - steps[gi] * shrink * maxCode / 2);
                    double e = error(from, to, s2, m2);
                    if (e < best) {
                        best = e;
                        s = s2;
                        m = m2;
                    }
                }
                for (int round = 0; round < ROUNDS; round++) {
                    int m2 = minCode(meanResidual(from, to, s, m));
                    int s2 = stepCode(leastSquaresStep(from, to, s, m, m2));
                    double e = error(from, to, s2, m2);
                    if (!(e < best)) {
                        break;
                    }
                    best = e;
                    s = s2;
                    m = m2;
                }
                stepCodes[grid + gi] = (byte) s;
                minCodes[grid + gi] = (byte) m;
                float step = step(s);
                float zero = zero(s, m);
                for (int c = from; c < to; c++) {
                    codes[off + c] = (byte) code(w[off + c], step, zero);
                }
            }
        }

        private int stepCode(float step) {
            int levels = DoubleQuantizedWeights.STEP_LEVELS;
            return (int) Math.max(1, Math.min(levels, Math.rint(step / stepMax * levels)));
        }

        private int minCode(float min) {
            if (minMax == 0) {
                return 0;
            }
            int levels = DoubleQuantizedWeights.MIN_LEVELS;
            return (int) Math.max(-levels, Math.min(levels, Math.rint(min / minMax * levels)));
        }

        /** The step that step code {@code s} stands for in this row. */
        private float step(int s) {
            return DoubleQuantizedWeights.step(stepMax, s);
        }

        /** The kernels' zero point of grid {@code (s, m)} in this row. */
        private float zero(int s, int m) {
            return DoubleQuantizedWeights.zeroPoint(step(s), DoubleQuantizedWeights.minimum(minMax, m));
        }

        private int code(float v, float step, float zero) {
            return (int) Math.max(0, Math.min(maxCode, Math.rint(v / step + zero)));
        }

        /** The minimum that centres the residuals of the codes the grid {@code (s, m)} gives. */
        private float meanResidual(int from, int to, int s, int m) {
            float step = step(s);
            float zero = zero(s, m);
            double sum = 0;
            for (int c = from; c < to; c++) {
                sum += w[off + c] - code(w[off + c], step, zero) * (double) step;
            }
            return (float) (sum / (to - from));
        }

        /** The least-squares step for the codes of grid {@code (s, m)} above the new minimum {@code m2}. */
        private float leastSquaresStep(int from, int to, int s, int m, int m2) {
            float step = step(s);
            float zero = zero(s, m);
            double min = DoubleQuantizedWeights.minimum(minMax, m2);
            double num = 0;
            double den = 0;
            for (int c = from; c < to; c++) {
                int q = code(w[off + c], step, zero);
                num += (w[off + c] - min) * q;
                den += (double) q * q;
            }
            return den > 0 ? (float) (num / den) : step;
        }

        /** Squared error of the round trip, decoded as the kernels decode it. */
        private double error(int from, int to, int s, int m) {
            float step = step(s);
            float zero = zero(s, m);
            double e = 0;
            for (int c = from; c < to; c++) {
                float v = w[off + c];
                double d = (code(v, step, zero) - zero) * step - v;
                e += d * d;
            }
            return e;
        }
    }
}
