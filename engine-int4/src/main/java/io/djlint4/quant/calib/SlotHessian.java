package io.djlint4.quant.calib;

import io.djlint4.quant.weight.HessianAccumulator;

/** The GPTQ Hessian proxy of one slot from its recorded calibration inputs. */
final class SlotHessian {

    private SlotHessian() {}

    /**
     * Accumulates {@code H} over every sequence's inputs.
     *
     * @param inputs the slot's inputs, one {@code [length, width]} array per sequence
     * @param width the input width
     * @return {@code H}, row-major {@code [width, width]}
     */
    static double[] of(float[][] inputs, int width) {
        HessianAccumulator acc = new HessianAccumulator(width);
        for (float[] x : inputs) {
            acc.add(x, x.length / width);
        }
        return acc.hessian();
    }
}
