package io.djlint4.model;

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
     * Returns the Hugging Face module name, e.g. {@code q_proj}.
     *
     * @return the name
     */
    public String moduleName() {
        return name().toLowerCase(java.util.Locale.ROOT) + "_proj";
    }
}
