package io.djlint4.model;

import io.djlint4.kernels.RowGroups;

/**
 * A linear layer whose input is first transformed row by row, e.g. the online Hadamard rotation
 * in front of {@code down_proj}; the inverse of the transform is folded into the inner layer's
 * weights so the composition computes the original function.
 */
public final class TransformedInputLinear implements LinearLayer {

    private final RowTransform transform;
    private final LinearLayer inner;

    /**
     * Creates the layer.
     *
     * @param transform applied to every input row
     * @param inner the layer that consumes the transformed rows
     */
    public TransformedInputLinear(RowTransform transform, LinearLayer inner) {
        this.transform = transform;
        this.inner = inner;
    }

    @Override
    public int inFeatures() {
        return inner.inFeatures();
    }

    @Override
    public int outFeatures() {
        return inner.outFeatures();
    }

    @Override
    public long weightBits() {
        return inner.weightBits();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        float[] t = new float[rows * inner.inFeatures()];
        transform.apply(x, rows, t);
        inner.forward(t, rows, y);
    }

    /** The transform works row by row, so only the inner layer needs the groups. */
    @Override
    public void forward(float[] x, RowGroups groups, float[] y) {
        float[] t = new float[groups.rows() * inner.inFeatures()];
        transform.apply(x, groups.rows(), t);
        inner.forward(t, groups, y);
    }
}
