package io.djlint4.quant.calib;

import io.djlint4.kernels.KernelThreads;
import io.djlint4.kernels.PanelGemm;
import io.djlint4.model.LinearLayer;

/**
 * A full-precision linear layer for calibration passes, which multiply hundreds of rows at a time:
 * the weight is laid out once as k-major panels of {@link PanelGemm#WIDTH} rows, and each call
 * runs the register-blocked panel product over every input row, panels shared out to the kernel
 * threads. Calibration's Hessians only need the layer to be the same whatever the thread count,
 * which it is: each output is one panel's running sum. It sums in another order than {@link
 * io.djlint4.model.DenseLinear}'s row-by-row dot products (faster by about the lane reductions
 * those spend), so it is for calibration only, where no served model's logits depend on it.
 */
final class PanelLinear implements LinearLayer {

    private final float[][] panels;
    private final float[] bias;
    private final int out;
    private final int in;

    /**
     * Lays out the weight.
     *
     * @param weight the weight, row-major {@code [out, in]} (not kept)
     * @param bias the bias {@code [out]}, or {@code null}
     * @param out the number of output features
     * @param in the number of input features
     */
    PanelLinear(float[] weight, float[] bias, int out, int in) {
        if (weight.length != (long) out * in || (bias != null && bias.length != out)) {
            throw new IllegalArgumentException("weight has " + weight.length + " values and bias "
                    + (bias == null ? "none" : bias.length + " values") + ", expected " + out + "x" + in);
        }
        int width = PanelGemm.WIDTH;
        this.panels = new float[(out + width - 1) / width][];
        for (int p = 0; p < panels.length; p++) {
            int first = p * width;
            int count = Math.min(width, out - first);
            float[] rows = new float[count * in];
            System.arraycopy(weight, first * in, rows, 0, rows.length);
            panels[p] = new float[in * width];
            PanelGemm.transpose(rows, count, in, panels[p]);
        }
        this.bias = bias;
        this.out = out;
        this.in = in;
    }

    @Override
    public int inFeatures() {
        return in;
    }

    @Override
    public int outFeatures() {
        return out;
    }

    @Override
    public long weightBits() {
        return 32L * out * in;
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        int width = PanelGemm.WIDTH;
        KernelThreads.parallelFor(panels.length, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int first = p * width;
                PanelGemm.multiply(x, rows, panels[p], first, Math.min(width, out - first), bias, out, in, y);
            }
        });
    }
}
