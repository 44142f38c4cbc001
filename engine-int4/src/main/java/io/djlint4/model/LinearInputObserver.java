package io.djlint4.model;

/**
 * Sees the input of every linear slot during a forward pass: the hook calibration (GPTQ Hessians,
 * smoothing and reordering statistics) and activation statistics are built on. The arrays are the
 * live buffers of the pass: read them, do not keep or modify them.
 */
@FunctionalInterface
public interface LinearInputObserver {

    /**
     * Called with the input of one slot.
     *
     * @param layer the decoder layer index
     * @param slot the slot
     * @param x the input, row-major {@code [rows, width]}
     * @param rows the number of rows ({@code batch * seqLen})
     * @param width the input width
     */
    void onInput(int layer, LinearSlot slot, float[] x, int rows, int width);
}
