package io.djlint4.model;

/**
 * The four places in a decoder layer where a linear layer reads its input. Projections that share
 * an input share a slot: q, k and v read the attention norm's output; gate and up read the MLP
 * norm's output.
 */
public enum LinearSlot {
    /** Input of the q, k and v projections. */
    QKV,
    /** Input of the attention output projection. */
    O,
    /** Input of the SwiGLU gate and up projections. */
    GATE_UP,
    /** Input of the down projection. */
    DOWN
}
