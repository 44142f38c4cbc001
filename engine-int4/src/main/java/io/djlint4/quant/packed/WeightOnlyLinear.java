package io.djlint4.quant.packed;

import io.djlint4.kernels.Int4Matmul;
import io.djlint4.kernels.PackedInt4Matrix;
import io.djlint4.kernels.PackedInt4PerIcMatrix;
import io.djlint4.kernels.RowGroups;
import io.djlint4.model.LinearLayer;

/**
 * A weight-only projection ({@code w4a16}, {@code w3a16}, AdaDim): float inputs times packed INT4
 * weights in the per-OC/grouped or the per-IC layout, by {@link Int4Matmul}.
 */
final class WeightOnlyLinear implements LinearLayer {

    private final PackedInt4Matrix perOc;
    private final PackedInt4PerIcMatrix perIc;
    private final float[] bias;
    private final long weightBits;

    private WeightOnlyLinear(PackedInt4Matrix perOc, PackedInt4PerIcMatrix perIc, float[] bias, long weightBits) {
        this.perOc = perOc;
        this.perIc = perIc;
        this.bias = bias;
        this.weightBits = weightBits;
    }

    static WeightOnlyLinear of(PackedInt4Matrix w, float[] bias) {
        return new WeightOnlyLinear(w, null, bias, 8 * w.packedBytes());
    }

    static WeightOnlyLinear of(PackedInt4PerIcMatrix w, float[] bias) {
        return new WeightOnlyLinear(null, w, bias, 8 * w.packedBytes());
    }

    /**
     * A layer whose packed grids expand coded ones ({@code dq}).
     *
     * @param w the packed weights
     * @param bias the bias or {@code null}
     * @param codedBits the bits of the codes and coded grids the packed matrix expands
     * @return the layer
     */
    static WeightOnlyLinear expanded(PackedInt4Matrix w, float[] bias, long codedBits) {
        return new WeightOnlyLinear(w, null, bias, codedBits);
    }

    @Override
    public int inFeatures() {
        return perOc != null ? perOc.cols() : perIc.cols();
    }

    @Override
    public int outFeatures() {
        return perOc != null ? perOc.rows() : perIc.rows();
    }

    @Override
    public long weightBits() {
        return weightBits;
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        forward(x, RowGroups.single(rows), y);
    }

    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        if (perOc != null) {
            Int4Matmul.matmul(x, groups, perOc, bias, y);
        } else {
            Int4Matmul.matmul(x, groups, perIc, bias, y);
        }
    }
}
