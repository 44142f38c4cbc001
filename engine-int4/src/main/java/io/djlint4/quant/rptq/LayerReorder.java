package io.djlint4.quant.rptq;

import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;

/**
 * The channel reorders of one decoder layer (§7.2 table, §7.3): R1 on the attention norm output,
 * R3 on the o_proj input (one reorder per key/value head, repeated for each query head of its
 * group), R4 on the MLP norm output and R5 on the down_proj input.
 *
 * @param qkv R1, over the hidden width
 * @param values R3 as it permutes the value projection's rows, over {@code kvHeads * headDim}
 * @param o R3 as the o_proj input sees it, over {@code heads * headDim}
 * @param gateUp R4, over the hidden width
 * @param down R5, over the intermediate width
 */
public record LayerReorder(
        ChannelClusters qkv, ChannelClusters values, ChannelClusters o, ChannelClusters gateUp, ChannelClusters down) {

    /**
     * Checks the widths against a configuration (load-time check of persisted reorders, §7.6).
     *
     * @param c the configuration
     * @throws IllegalArgumentException naming the first reorder of the wrong width
     */
    public void requireShape(ModelConfig c) {
        requireWidth("q/k/v input", qkv, c.hiddenSize());
        requireWidth("value rows", values, c.kvDim());
        requireWidth("o_proj input", o, c.qDim());
        requireWidth("gate/up input", gateUp, c.hiddenSize());
        requireWidth("down_proj input", down, c.intermediateSize());
    }

    private static void requireWidth(String name, ChannelClusters r, int width) {
        if (r.width() != width) {
            throw new IllegalArgumentException(name + " reorder covers " + r.width() + " channels, the model has " + width);
        }
    }

    /**
     * Returns the reorder the input of a slot arrives in.
     *
     * @param slot the slot
     * @return its reorder
     */
    public ChannelClusters input(LinearSlot slot) {
        return switch (slot) {
            case QKV -> qkv;
            case O -> o;
            case GATE_UP -> gateUp;
            case DOWN -> down;
        };
    }

    /**
     * Returns whether a slot's input must be gathered at run time. Norm outputs must: the decoder's
     * norm writes in residual order and the residual stream is never permuted. The o_proj and
     * down_proj inputs need not: their producers (value rows, gate and up rows) are permuted.
     *
     * @param slot the slot
     * @return {@code true} for the q/k/v and gate/up inputs
     */
    public static boolean gathersInput(LinearSlot slot) {
        return slot == LinearSlot.QKV || slot == LinearSlot.GATE_UP;
    }
}
