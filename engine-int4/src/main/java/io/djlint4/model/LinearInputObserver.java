package io.djlint4.model;

/**
 * Sees the input of every linear slot during a forward pass: the hook calibration (GPTQ Hessians,
 * smoothing and reordering statistics) and activation statistics are built on. It may also see
 * the operands of attention (queries, keys and values as they enter the cache), which cache
 * calibration needs. The arrays are the live buffers of the pass: read them, do not keep or
 * modify them.
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

    /**
     * Called with the operands of one layer's attention, after rope (and the per-head rotation when
     * the model has one) and before the cache quantizer rounds keys and values. Does nothing unless
     * overridden.
     *
     * @param layer the decoder layer index
     * @param queries the queries {@code [rows, heads * headDim]}
     * @param keys the keys {@code [rows, kvHeads * headDim]}
     * @param values the values {@code [rows, kvHeads * headDim]}
     * @param rows the number of rows ({@code batch * seqLen})
     */
    default void onAttentionOperands(int layer, float[] queries, float[] keys, float[] values, int rows) {}

    /**
     * Returns an observer that passes everything it sees to this one, then to {@code next}.
     *
     * @param next the second observer
     * @return the combined observer
     */
    default LinearInputObserver andThen(LinearInputObserver next) {
        LinearInputObserver first = this;
        return new LinearInputObserver() {
            @Override
            public void onInput(int layer, LinearSlot slot, float[] x, int rows, int width) {
                first.onInput(layer, slot, x, rows, width);
                next.onInput(layer, slot, x, rows, width);
            }

            @Override
            public void onAttentionOperands(int layer, float[] queries, float[] keys, float[] values, int rows) {
                first.onAttentionOperands(layer, queries, keys, values, rows);
                next.onAttentionOperands(layer, queries, keys, values, rows);
            }
        };
    }
}
