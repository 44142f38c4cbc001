package io.djlint4.engine;

/**
 * Softmax, log-softmax and p-norm normalisation along one axis of a floating tensor, computed in
 * double precision and rounded once to the element type.
 */
final class NormalizationKernels {

    private NormalizationKernels() {}

    /**
     * Returns {@code exp(x - max) / sum(exp(x - max))} along an axis.
     *
     * @param a a floating tensor
     * @param axis the axis
     * @return the softmax, same type and shape
     */
    static DenseTensor softmax(DenseTensor a, int axis) {
        return softmax(a, axis, false);
    }

    /**
     * Returns {@code x - max - log(sum(exp(x - max)))} along an axis.
     *
     * @param a a floating tensor
     * @param axis the axis
     * @return the log-softmax, same type and shape
     */
    static DenseTensor logSoftmax(DenseTensor a, int axis) {
        return softmax(a, axis, true);
    }

    /**
     * Divides by the p-norm along an axis, as {@code torch.nn.functional.normalize}:
     * {@code x / max(||x||_p, eps)}.
     *
     * @param a a floating tensor
     * @param p the norm exponent
     * @param axis the axis
     * @param eps the lower bound of the divisor
     * @return the normalised tensor, same type and shape
     */
    static DenseTensor normalize(DenseTensor a, double p, int axis, double eps) {
        AxisLines lines = new AxisLines(a, axis);
        Storage in = a.storage();
        Storage out = Storage.allocate(a.dataType(), a.size());
        for (int line = 0; line < lines.count(); line++) {
            int base = lines.base(line);
            double norm = 0;
            for (int k = 0; k < lines.length; k++) {
                norm = accumulateNorm(norm, Math.abs(in.getDouble(base + k * lines.inner)), p);
            }
            norm = finishNorm(norm, p);
            double divisor = Math.max(norm, eps);
            for (int k = 0; k < lines.length; k++) {
                int offset = base + k * lines.inner;
                out.setDouble(offset, in.getDouble(offset) / divisor);
            }
        }
        return new DenseTensor(out, a.dims());
    }

    private static double accumulateNorm(double acc, double magnitude, double p) {
        if (p == 2) {
            return acc + magnitude * magnitude;
        } else if (p == 1) {
            return acc + magnitude;
        } else if (Double.isInfinite(p)) {
            return Math.max(acc, magnitude);
        }
        return acc + Math.pow(magnitude, p);
    }

    private static double finishNorm(double acc, double p) {
        if (p == 2) {
            return Math.sqrt(acc);
        } else if (p == 1 || Double.isInfinite(p)) {
            return acc;
        }
        return Math.pow(acc, 1 / p);
    }

    private static DenseTensor softmax(DenseTensor a, int axis, boolean log) {
        AxisLines lines = new AxisLines(a, axis);
        Storage in = a.storage();
        Storage out = Storage.allocate(a.dataType(), a.size());
        for (int line = 0; line < lines.count(); line++) {
            int base = lines.base(line);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < lines.length; k++) {
                double x = in.getDouble(base + k * lines.inner);
                max = Double.isNaN(x) || x > max ? x : max;
            }
            if (Double.isInfinite(max)) {
                // an all -inf line gives NaN in PyTorch too; avoid inf - inf below
                max = 0;
            }
            double sum = 0;
            for (int k = 0; k < lines.length; k++) {
                sum += Math.exp(in.getDouble(base + k * lines.inner) - max);
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < lines.length; k++) {
                int offset = base + k * lines.inner;
                double shifted = in.getDouble(offset) - max;
                out.setDouble(offset, log ? shifted - logSum : Math.exp(shifted) / sum);
            }
        }
        return new DenseTensor(out, a.dims());
    }
}
