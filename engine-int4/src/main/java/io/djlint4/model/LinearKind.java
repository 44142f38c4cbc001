package io.djlint4.model;

import java.util.EnumSet;

/** The seven linear projections of a decoder layer, each reading one {@link LinearSlot}. */
public enum LinearKind {
    /** Query projection. */
    Q(LinearSlot.QKV),
    /** Key projection. */
    K(LinearSlot.QKV),
    /** Value projection. */
    V(LinearSlot.QKV),
    /** Attention output projection. */
    O(LinearSlot.O),
    /** SwiGLU gate projection. */
    GATE(LinearSlot.GATE_UP),
    /** SwiGLU up projection. */
    UP(LinearSlot.GATE_UP),
    /** SwiGLU down projection. */
    DOWN(LinearSlot.DOWN);

    private final LinearSlot slot;

    LinearKind(LinearSlot slot) {
        this.slot = slot;
    }

    /**
     * Returns the slot whose input this projection reads.
     *
     * @return the slot
     */
    public LinearSlot slot() {
        return slot;
    }

    /**
     * Returns the projections that read one slot's input, in declaration order.
     *
     * @param slot the slot
     * @return q, k and v for {@link LinearSlot#QKV}, gate and up for {@link LinearSlot#GATE_UP}, the
     *     one projection of the other slots
     */
    public static EnumSet<LinearKind> readingFrom(LinearSlot slot) {
        EnumSet<LinearKind> kinds = EnumSet.noneOf(LinearKind.class);
        for (LinearKind k : values()) {
            if (k.slot == slot) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /**
     * Returns the Hugging Face module name, e.g. {@code q_proj}.
     *
     * @return the name
     */
    public String moduleName() {
        return name().toLowerCase(java.util.Locale.ROOT) + "_proj";
    }

    /**
     * Returns the number of input features of this projection in a model.
     *
     * @param c the model configuration
     * @return {@code hidden}, {@code heads*headDim} (o_proj) or {@code intermediate} (down_proj)
     */
    public int inFeatures(ModelConfig c) {
        return switch (this) {
            case O -> c.qDim();
            case DOWN -> c.intermediateSize();
            default -> c.hiddenSize();
        };
    }

    /**
     * Returns the number of output features of this projection in a model.
     *
     * @param c the model configuration
     * @return e.g. {@code kvHeads*headDim} for k_proj
     */
    public int outFeatures(ModelConfig c) {
        return switch (this) {
            case Q -> c.qDim();
            case K, V -> c.kvDim();
            case O, DOWN -> c.hiddenSize();
            case GATE, UP -> c.intermediateSize();
        };
    }
}
