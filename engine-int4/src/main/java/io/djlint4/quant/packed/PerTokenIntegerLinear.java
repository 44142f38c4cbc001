package io.djlint4.quant.packed;

import io.djlint4.kernels.Int4IntegerGemm;
import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.QuantizedTokens;
import io.djlint4.model.LinearLayer;

/**
 * A W·A projection: each input row quantized per token, then multiplied with the packed INT4
 * weights with integer partial sums ({@link Int4IntegerGemm}). The activation buffer is allocated
 * per call (a row's worth of bytes and floats, small next to the product) so one model can serve
 * several threads.
 */
final class PerTokenIntegerLinear implements LinearLayer {

    private final PackedInt4Matrix weight;
    private final float[] bias;
    private final int bits;
    private final float clip;

    PerTokenIntegerLinear(PackedInt4Matrix weight, float[] bias, int bits, float clip) {
        this.weight = weight;
        this.bias = bias;
        this.bits = bits;
        this.clip = clip;
    }

    @Override
    public int inFeatures() {
        return weight.cols();
    }

    @Override
    public int outFeatures() {
        return weight.rows();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        QuantizedTokens tokens = new QuantizedTokens(rows, weight.cols(), bits);
        tokens.quantize(x, rows, clip);
        Int4IntegerGemm.matmul(tokens, weight, bias, y);
    }
}
